<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AccountStatusBar</name>
    <message numerus="yes">
        <location filename="../../qt/widgets/status_bar.py" line="+290"/>
        <source>%n change(s) waiting for the server</source>
        <translation>
            <numerusform>%n change waiting for the server</numerusform>
            <numerusform>%n changes waiting for the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n change(s) in conflict</source>
        <translation>
            <numerusform>%n change in conflict</numerusform>
            <numerusform>%n changes in conflict</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n message(s) in the Outbox</source>
        <translation>
            <numerusform>%n message in the Outbox</numerusform>
            <numerusform>%n messages in the Outbox</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n message(s) could not be sent</source>
        <translation>
            <numerusform>%n message could not be sent</numerusform>
            <numerusform>%n messages could not be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n message(s) may have been sent</source>
        <translation>
            <numerusform>%n message may have been sent</numerusform>
            <numerusform>%n messages may have been sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttachmentArea</name>
    <message numerus="yes">
        <location filename="../../qt/composer/attachment_area.py" line="+191"/>
        <source>%n attachment(s), %1</source>
        <translation>
            <numerusform>%n attachment, %1</numerusform>
            <numerusform>%n attachments, %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttachmentItems</name>
    <message numerus="yes">
        <location filename="../../qt/attachment_drag.py" line="+122"/>
        <source>%n attachments</source>
        <translation>
            <numerusform>%n attachment</numerusform>
            <numerusform>%n attachments</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DropController</name>
    <message numerus="yes">
        <location filename="../../qt/controllers/drops.py" line="+133"/>
        <source>Copied %n messages to %1.</source>
        <translation>
            <numerusform>Copied %n message to %1.</numerusform>
            <numerusform>Copied %n messages to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Moved %n messages to %1.</source>
        <translation>
            <numerusform>Moved %n message to %1.</numerusform>
            <numerusform>Moved %n messages to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Copying %n message(s) to %1 in %2…</source>
        <translation>
            <numerusform>Copying %n message to %1 in %2…</numerusform>
            <numerusform>Copying %n messages to %1 in %2…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Moving %n message(s) to %1 in %2…</source>
        <translation>
            <numerusform>Moving %n message to %1 in %2…</numerusform>
            <numerusform>Moving %n messages to %1 in %2…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Importing %n message(s) into %1…</source>
        <translation>
            <numerusform>Importing %n message into %1…</numerusform>
            <numerusform>Importing %n messages into %1…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderDelegate</name>
    <message numerus="yes">
        <location filename="../../qt/widgets/folder_view.py" line="+82"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n messages</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageCommands</name>
    <message numerus="yes">
        <location filename="../../qt/controllers/commands.py" line="+134"/>
        <source>Delete %n message(s) for good? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n message for good? This cannot be undone.</numerusform>
            <numerusform>Delete %n messages for good? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+155"/>
        <source>Delete the %n message(s) in “%1” for good? This cannot be undone.</source>
        <translation>
            <numerusform>Delete the %n message in “%1” for good? This cannot be undone.</numerusform>
            <numerusform>Delete the %n messages in “%1” for good? This cannot be undone.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageListView</name>
    <message numerus="yes">
        <location filename="../../qt/dragdrop.py" line="+249"/>
        <source>%n messages</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message numerus="yes">
        <location filename="../../qt/widgets/message_view.py" line="+448"/>
        <source>%n tracking image(s) removed.</source>
        <translation>
            <numerusform>%n tracking image removed.</numerusform>
            <numerusform>%n tracking images removed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+29"/>
        <source>Remote content blocked (%n item(s)).</source>
        <translation>
            <numerusform>Remote content blocked (%n item).</numerusform>
            <numerusform>Remote content blocked (%n items).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NewMailWatcher</name>
    <message numerus="yes">
        <location filename="../../qt/new_mail.py" line="+107"/>
        <source>%n new messages</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message numerus="yes">
        <location filename="../../qt/widgets/rules/rules_dialog.py" line="+241"/>
        <source>Rules applied to “{folder}”: %n message(s) filed elsewhere.</source>
        <translation>
            <numerusform>Rules applied to “{folder}”: %n message filed elsewhere.</numerusform>
            <numerusform>Rules applied to “{folder}”: %n messages filed elsewhere.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message numerus="yes">
        <location filename="../../qt/controllers/search.py" line="+264"/>
        <source>%n message(s) found</source>
        <translation>
            <numerusform>%n message found</numerusform>
            <numerusform>%n messages found</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n more from the server</source>
        <translation>
            <numerusform>%n more from the server</numerusform>
            <numerusform>%n more from the server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnsubscribeController</name>
    <message numerus="yes">
        <location filename="../../qt/controllers/unsubscribe.py" line="+50"/>
        <source>Move the %n message(s) from %1 out of your folders?</source>
        <translation>
            <numerusform>Move the %n message from %1 out of your folders?</numerusform>
            <numerusform>Move the %n messages from %1 out of your folders?</numerusform>
        </translation>
    </message>
</context>
</TS>

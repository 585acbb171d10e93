"""What the main window's actions and events do, one controller per concern (issue 12).

Each controller takes the AccountDirectory (qtmail/qt/accounts.py: clients, readers,
events of every account) and the widgets it touches, never the window, so each can be
built and tested alone (tests/gui/test_controllers.py). MainWindow builds them, lays
the widgets out and connects them.

- commands.py    MessageCommands: Delete, Archive, Move/Copy to, flags, folders, Undo, Redo
- undo.py        UndoTarget: where Ctrl+Z, Ctrl+Shift+Z and the drop notice's Undo go
- undo_labels.py UndoLabels: Edit > Undo/Redo name the change they act on
- drops.py       DropController: drops onto the folder tree become commands; the notice
- drag_export.py DragExport: .eml files of messages dragged out, written off the GUI thread
- search.py      SearchController: the search field, server search, saved searches
- compose.py     ComposeController: Write, Reply, Forward, drafts, the Outbox notice
- reading.py     ReadingController: the shown message, mark-as-read after a delay
- folders.py     FolderController: which folder the lists show, flat or threaded
"""

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../qt/about.py" line="+49"/>
        <source>About qtmail</source>
        <translation>qtmail について</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>qtmail icon</source>
        <translation>qtmail のアイコン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A desktop IMAP email client.</source>
        <translation>デスクトップ用の IMAP メールクライアントです。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>License: %1</source>
        <translation>ライセンス: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Versions</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Copy versions</source>
        <translation>バージョン情報をコピー(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy versions to the clipboard</source>
        <translation>バージョン情報をクリップボードにコピー</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../qt/widgets/account_dialog.py" line="+115"/>
        <source>Account setup</source>
        <translation>アカウント設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account settings</source>
        <translation>アカウントの設定</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>For example: Work</source>
        <translation>例: 仕事</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>you@example.org</source>
        <translation>you@example.org</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your name, as others see it</source>
        <translation>相手に表示されるあなたの名前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Same as the email address</source>
        <translation>メールアドレスと同じ</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Email &amp;address:</source>
        <translation>メールアドレス(&amp;A):</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Your &amp;name:</source>
        <translation>あなたの名前(&amp;N):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User name:</source>
        <translation>ユーザー名(&amp;U):</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>&amp;Password:</source>
        <translation>パスワード(&amp;P):</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>The one qtmail comes with</source>
        <translation>qtmail に組み込みのもの</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A&amp;ccount name:</source>
        <translation>アカウント名(&amp;C):</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign-in client &amp;ID:</source>
        <translation>サインイン用クライアントＩＤ(&amp;I):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organisation (&amp;tenant):</source>
        <translation>組織（テナント）(&amp;T):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Some organisations allow only applications they approved: their IT department gives a client ID (and, at Microsoft, a tenant) to use instead.</source>
        <translation>承認したアプリケーションしか許可しない組織があります。その場合は、情報システム部門から渡されるクライアントＩＤ（マイクロソフトではテナントも）を使います。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Incoming mail (IMAP)</source>
        <translation>受信メール (IMAP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outgoing mail (SMTP)</source>
        <translation>送信メール (SMTP)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Without encryption, your password and your mail travel over the network as readable text. Only choose this for a server on this computer or on a network you fully trust.</source>
        <translation>暗号化しないと、パスワードとメールは読める状態のままネットワーク上を流れます。このコンピューター上のサーバーか、完全に信頼できるネットワーク上のサーバーの場合にのみ選択してください。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Test connection</source>
        <translation>接続テスト(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log in to the incoming mail server now</source>
        <translation>受信メールサーバーに今すぐログインします</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Remo&amp;ve Account…</source>
        <translation>アカウントを削除(&amp;V)…</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+38"/>
        <source>&amp;Edit Settings Manually</source>
        <translation>設定を手動で編集(&amp;E)</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>&amp;Servers</source>
        <translation>サーバー(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;ddresses and Signature</source>
        <translation>アドレスと署名(&amp;D)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Hide &amp;Manual Settings</source>
        <translation>手動設定を隠す(&amp;M)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Signed in with {provider}</source>
        <translation>{provider} でサインイン済み</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign In with {provider} Again…</source>
        <translation>{provider} でもう一度サインイン…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign In with {provider}…</source>
        <translation>{provider} でサインイン…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Unchanged</source>
        <translation>変更なし</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Looking for the settings of {domain}…</source>
        <translation>{domain} の設定を探しています…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No settings were found for {domain}. Enter the servers below; your provider&apos;s help pages name them.</source>
        <translation>{domain} の設定は見つかりませんでした。下にサーバーを入力してください。プロバイダーのヘルプページに記載されています。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Settings found: {source}.</source>
        <translation>設定が見つかりました: {source}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incoming mail: {server}</source>
        <translation>受信メール: {server}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outgoing mail: {server}</source>
        <translation>送信メール: {server}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No outgoing mail server was found: to send mail, add it under Edit Settings Manually.</source>
        <translation>送信メールサーバーは見つかりませんでした。メールを送るには「設定を手動で編集」で追加してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>They come from DNS, which others on your network could forge: check the server names before you connect.</source>
        <translation>この設定は DNS から得たもので、同じネットワーク上の誰かが偽装できます。接続する前にサーバー名を確認してください。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>a settings file on this computer ({file})</source>
        <translation>このコンピューター上の設定ファイル（{file}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>qtmail&apos;s list of providers ({provider})</source>
        <translation>qtmail のプロバイダー一覧（{provider}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thunderbird&apos;s database of providers</source>
        <translation>Thunderbird のプロバイダーデータベース</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server {host}, which answered when asked</source>
        <translation>問い合わせに応答したサーバー {host}</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>Continue</source>
        <translation>続行</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No system keyring is available, so your sign-in is kept only until qtmail closes. You will sign in again next time.</source>
        <translation>システムのキーリングがないため、サインイン情報は qtmail を閉じるまでの間だけ保持されます。次回はもう一度サインインします。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No system keyring is available, so your password is kept only until qtmail closes. You will be asked for it again next time.</source>
        <translation>システムのキーリングが使えないため、パスワードは qtmail を閉じるまでしか保持されません。次回もう一度入力を求められます。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The system keyring refused to save the password, so it is kept only until qtmail closes.</source>
        <translation>システムのキーリングがパスワードの保存を拒否したため、パスワードは qtmail を閉じるまでしか保持されません。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Connecting to {host}…</source>
        <translation>{host} に接続しています…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connected to {host} and logged in. These settings work.</source>
        <translation>{host} に接続してログインしました。この設定で使用できます。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>You did not accept the server&apos;s certificate, so qtmail did not log in.</source>
        <translation>サーバーの証明書が承認されなかったため、qtmail はログインしませんでした。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The test stopped because of a problem inside qtmail.</source>
        <translation>qtmail 内部の問題によりテストが中断されました。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Save Anyway</source>
        <translation>このまま保存</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Untrusted certificate</source>
        <translation>信頼されていない証明書</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate of {host}:{port} has changed. Trust the new one?</source>
        <translation>{host}:{port} の証明書が変わりました。新しい証明書を信頼しますか?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust this certificate for {host}:{port}?</source>
        <translation>{host}:{port} のこの証明書を信頼しますか?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>You trusted this server&apos;s certificate before; it now presents another one. SHA-256 fingerprints:

Trusted before:
{previous}

Now:
{fingerprint}

Providers renew certificates, but a changed certificate can also mean someone is intercepting the connection. Only trust it if your provider confirms the new fingerprint.</source>
        <translation>以前に信頼したこのサーバーの証明書とは別の証明書が提示されています。SHA-256 フィンガープリント:

以前に信頼したもの:
{previous}

現在:
{fingerprint}

プロバイダーは証明書を更新しますが、証明書が変わったのは誰かが通信を傍受しているためかもしれません。プロバイダーが新しいフィンガープリントを確認した場合にだけ信頼してください。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>qtmail cannot confirm that this server is who it claims to be. Its certificate has this SHA-256 fingerprint:

{fingerprint}

Only trust it if your provider confirms the same fingerprint. If the certificate changes later, qtmail will ask again.</source>
        <translation>qtmail はこのサーバーが名乗っているとおりのサーバーであることを確認できません。証明書の SHA-256 フィンガープリントは次のとおりです:

{fingerprint}

プロバイダーが同じフィンガープリントであると確認した場合にのみ信頼してください。後で証明書が変わった場合は、qtmail が改めて確認します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Trust</source>
        <translation>信頼する(&amp;T)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Please give the account a name.</source>
        <translation>アカウントに名前を付けてください。</translation>
    </message>
    <message>
        <location line="-197"/>
        <location line="+199"/>
        <source>Please enter a complete email address, like name@example.org.</source>
        <translation>name@example.org のように完全なメールアドレスを入力してください。</translation>
    </message>
    <message>
        <location line="-250"/>
        <source>This provider signs in on its own page, but this copy of qtmail was built without a client ID for it. Enter one under Edit Settings Manually, or use an app password if the provider offers them.</source>
        <translation>このプロバイダーは自社のページでサインインしますが、この qtmail にはそのためのクライアントＩＤが組み込まれていません。「設定を手動で編集」で入力するか、プロバイダーが提供していればアプリパスワードを使ってください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This provider signs in on its own page: press the button above. qtmail never sees your password.</source>
        <translation>このプロバイダーは自社のページでサインインします。上のボタンを押してください。qtmail があなたのパスワードを見ることはありません。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>encrypted (SSL/TLS)</source>
        <translation>暗号化あり（ＳＳＬ／ＴＬＳ）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>encrypted (STARTTLS)</source>
        <translation>暗号化あり（ＳＴＡＲＴＴＬＳ）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not encrypted</source>
        <translation>暗号化なし</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host}, port {port}, {security}</source>
        <translation>{host}、ポート {port}、{security}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>qtmail needs a client ID to sign in with this provider. Enter the one your organisation gives under Edit Settings Manually.</source>
        <translation>このプロバイダーでサインインするにはクライアントＩＤが必要です。組織から渡されたものを「設定を手動で編集」で入力してください。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Finish signing in on the page that opened in your web browser.</source>
        <translation>ウェブブラウザーで開いたページでサインインを完了してください。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Signed in. qtmail can now read and send your mail.</source>
        <translation>サインインしました。qtmail でメールの閲覧と送信ができます。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The sign-in stopped because of a problem inside qtmail.</source>
        <translation>qtmail 内部の問題でサインインが中断しました。</translation>
    </message>
    <message>
        <location line="+180"/>
        <source>Please sign in with your provider first: press the “Sign In” button.</source>
        <translation>先にプロバイダーでサインインしてください。「サインイン」ボタンを押してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Please enter your password.</source>
        <translation>パスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>AccountFixes</name>
    <message>
        <location filename="../../qt/controllers/account_fixes.py" line="+173"/>
        <source>The password could not be saved in the system keyring, so qtmail keeps it only until it closes.</source>
        <translation>パスワードをシステムのキーリングに保存できなかったため、qtmail は終了するまでの間だけ保持します。</translation>
    </message>
</context>
<context>
    <name>AccountStatusBar</name>
    <message>
        <location filename="../../qt/widgets/status_bar.py" line="+139"/>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Outbox</source>
        <translation>送信トレイ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Messages that could not be sent</source>
        <translation>送信できなかったメッセージ</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Syncing %1 %2/%3</source>
        <translation>%1 を同期中 %2/%3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking for new mail…</source>
        <translation>新着メールを確認しています…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected</source>
        <translation>接続済み</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting…</source>
        <translation>接続しています…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not connected</source>
        <translation>未接続</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enter Password…</source>
        <translation>パスワードを入力…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Account Settings…</source>
        <translation>アカウント設定…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign In Again…</source>
        <translation>もう一度サインイン…</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n change(s) waiting for the server</source>
        <translation>
            <numerusform>%n 件の変更がサーバーへの反映待ち</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n change(s) in conflict</source>
        <translation>
            <numerusform>%n 件の変更が競合</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Sending…</source>
        <translation>送信しています…</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n message(s) in the Outbox</source>
        <translation>
            <numerusform>送信トレイに %n 件のメッセージ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n message(s) could not be sent</source>
        <translation>
            <numerusform>%n 件のメッセージを送信できませんでした</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n message(s) may have been sent</source>
        <translation>
            <numerusform>%n 件のメッセージは送信済みの可能性があります</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(no subject)</source>
        <translation>(件名なし)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send “%1” again</source>
        <translation>「%1」をもう一度送信</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Discard “%1”</source>
        <translation>「%1」を破棄</translation>
    </message>
</context>
<context>
    <name>ActionRow</name>
    <message>
        <location filename="../../qt/widgets/rules/rows.py" line="+166"/>
        <source>Action</source>
        <translation>動作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move to folder</source>
        <translation>フォルダーに移動</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy to folder</source>
        <translation>フォルダーにコピー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark as read</source>
        <translation>既読にする</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Flag</source>
        <translation>フラグを付ける</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add keyword</source>
        <translation>キーワードを付ける</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward a copy to</source>
        <translation>コピーを転送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redirect to</source>
        <translation>転送</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop processing rules</source>
        <translation>以降のルールを適用しない</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keep in Inbox</source>
        <translation>受信トレイに残す</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(other action, kept as it is)</source>
        <translation>（その他の動作、そのまま保持）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Action argument</source>
        <translation>動作の対象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose folder</source>
        <translation>フォルダーを選択</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>AttachmentArea</name>
    <message>
        <location filename="../../qt/composer/attachment_area.py" line="+97"/>
        <source>Attachments</source>
        <translation>添付ファイル</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Attached files</source>
        <translation>添付したファイル</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Remove</source>
        <translation>削除(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the selected attachment</source>
        <translation>選択した添付ファイルを削除</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>“%1” is too big to send by email (over %2).</source>
        <translation>「%1」はメールで送るには大きすぎます (%2 を超えています)。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“%1” is a folder or not a file, so it cannot be attached.</source>
        <translation>「%1」はフォルダーか、ファイルではないため添付できません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“%1” could not be read: %2</source>
        <translation>「%1」を読み込めませんでした: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>%n attachment(s), %1</source>
        <translation>
            <numerusform>添付ファイル %n 件、%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(reading files…)</source>
        <translation>(ファイルを読み込み中…)</translation>
    </message>
</context>
<context>
    <name>AttachmentItems</name>
    <message numerus="yes">
        <location filename="../../qt/attachment_drag.py" line="+122"/>
        <source>%n attachments</source>
        <translation>
            <numerusform>%n 個の添付ファイル</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttachmentList</name>
    <message>
        <location filename="../../qt/widgets/attachments.py" line="+109"/>
        <source>Save attachments to</source>
        <translation>添付ファイルの保存先</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Attachments</source>
        <translation>添付ファイル</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Preview</source>
        <translation>プレビュー(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save...</source>
        <translation>保存(&amp;S)...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save &amp;all...</source>
        <translation>すべて保存(&amp;A)...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open</source>
        <translation>開く(&amp;O)</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>Could not save</source>
        <translation>保存できませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The attachment could not be saved: %1</source>
        <translation>添付ファイルを保存できませんでした: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open a program?</source>
        <translation>プログラムを開きますか?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“%1” is a program or script. Opening it can run code on your computer. Open it only if you trust the sender and expected this file.</source>
        <translation>「%1」はプログラムまたはスクリプトです。開くとコンピューター上でコードが実行される可能性があります。送信者を信頼していて、このファイルを受け取る予定だった場合にのみ開いてください。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+3"/>
        <source>Could not open</source>
        <translation>開けませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No application is set up to open this file.</source>
        <translation>このファイルを開くアプリケーションが設定されていません。</translation>
    </message>
</context>
<context>
    <name>AttachmentPreview</name>
    <message>
        <location filename="../../qt/widgets/attachment_preview.py" line="+74"/>
        <source>
[… the rest is not shown]</source>
        <translation>
[… 以降は表示していません]</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This picture cannot be shown safely. Save it, or open it with another program.</source>
        <translation>この画像は安全に表示できません。保存するか、別のプログラムで開いてください。</translation>
    </message>
</context>
<context>
    <name>BodyEdit</name>
    <message>
        <location filename="../../qt/composer/body.py" line="+52"/>
        <source>Message text</source>
        <translation>メッセージの本文</translation>
    </message>
</context>
<context>
    <name>ComposeController</name>
    <message>
        <location filename="../../qt/controllers/compose.py" line="+238"/>
        <source>Add an email account first: there is nothing to send from.</source>
        <translation>先にメールアカウントを追加してください。送信元のアカウントがありません。</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>Open Its Settings…</source>
        <translation>アカウント設定を開く…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter Password…</source>
        <translation>パスワードを入力…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign In Again…</source>
        <translation>もう一度サインイン…</translation>
    </message>
</context>
<context>
    <name>ComposerChecks</name>
    <message>
        <location filename="../../qt/composer/checks.py" line="+37"/>
        <source>There is no account to send from. Add one in Account Setup.</source>
        <translation>送信元のアカウントがありません。「アカウント設定」で追加してください。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>These are not valid email addresses: %1. Correct them before sending.</source>
        <translation>次のメールアドレスは正しくありません: %1。送信する前に修正してください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add at least one recipient in To, Cc or Bcc.</source>
        <translation>宛先、Cc、Bcc のいずれかに少なくとも 1 人の受信者を入力してください。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Some files are still being read. Send again in a moment.</source>
        <translation>まだ読み込み中のファイルがあります。少し待ってからもう一度送信してください。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The message cannot be sent yet</source>
        <translation>まだメッセージを送信できません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send this message?</source>
        <translation>このメッセージを送信しますか?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This message has no subject. Send it anyway?</source>
        <translation>このメッセージには件名がありません。このまま送信しますか?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your message mentions an attachment, but nothing is attached. Send it anyway?</source>
        <translation>本文で添付ファイルに触れていますが、何も添付されていません。このまま送信しますか?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The attachments add up to %1. Many mail servers refuse messages this big. Send it anyway?</source>
        <translation>添付ファイルの合計は %1 です。多くのメールサーバーはこの大きさのメッセージを受け付けません。このまま送信しますか?</translation>
    </message>
</context>
<context>
    <name>ComposerWindow</name>
    <message>
        <location filename="../../qt/composer/toolbar.py" line="+66"/>
        <source>&amp;Send</source>
        <translation>送信(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the message now (Ctrl+Enter)</source>
        <translation>メッセージを今すぐ送信 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Attach…</source>
        <translation>添付(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach files to the message</source>
        <translation>メッセージにファイルを添付</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save &amp;Draft</source>
        <translation>下書き保存(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the message in the Drafts folder</source>
        <translation>メッセージを下書きフォルダーに保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Bcc</source>
        <translation>Bcc(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the blind copy field: those recipients are hidden from the others</source>
        <translation>Bcc 欄を表示します。ここに入れた受信者はほかの受信者には見えません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Formatting</source>
        <translation>書式(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write with bold, italic, links and lists (sent with a plain-text copy)</source>
        <translation>太字、斜体、リンク、箇条書きを使って書きます (テキスト形式の本文も一緒に送られます)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Bold</source>
        <translation>太字(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bold text</source>
        <translation>太字にする</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Italic</source>
        <translation>斜体(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Italic text</source>
        <translation>斜体にする</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Link…</source>
        <translation>リンク(&amp;L)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the selected text a link</source>
        <translation>選択した文字をリンクにする</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bulleted &amp;List</source>
        <translation>箇条書き(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a bulleted list</source>
        <translation>箇条書きを始める</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Numbered List</source>
        <translation>番号付きリスト(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a numbered list</source>
        <translation>番号付きリストを始める</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Close</source>
        <translation>閉じる(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the message, keeping it as a draft or not</source>
        <translation>メッセージを閉じます (下書きとして残すかどうかを選べます)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Composer toolbar</source>
        <translation>作成ツールバー</translation>
    </message>
    <message>
        <location filename="../../qt/composer/window.py" line="+108"/>
        <source>From</source>
        <translation>差出人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy to</source>
        <translation>Cc (写し)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blind copy to</source>
        <translation>Bcc (非表示の写し)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;From:</source>
        <translation>差出人(&amp;F):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation>宛先(&amp;T):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cc:</source>
        <translation>Cc(&amp;C):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Bcc:</source>
        <translation>Bcc(&amp;B):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Subject:</source>
        <translation>件名(&amp;S):</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>New Message</source>
        <translation>新しいメッセージ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 – Write</source>
        <translation>%1 – 作成</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Insert Link</source>
        <translation>リンクを挿入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only web (http, https) and email (mailto) links can be inserted.</source>
        <translation>ウェブ (http、https) とメール (mailto) のリンクだけを挿入できます。</translation>
    </message>
</context>
<context>
    <name>ConditionRow</name>
    <message>
        <location filename="../../qt/widgets/rules/rows.py" line="-129"/>
        <source>not</source>
        <translation>否定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Condition field</source>
        <translation>条件の項目</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Header name</source>
        <translation>ヘッダー名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comparison</source>
        <translation>比較方法</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text; several separated by commas</source>
        <translation>テキスト（複数はカンマ区切り）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../qt/composer/dialogs.py" line="+40"/>
        <source>Keep this message?</source>
        <translation>このメッセージを残しますか?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This message has not been sent. Keep it in your Drafts folder to finish it later?</source>
        <translation>このメッセージはまだ送信されていません。あとで仕上げられるように下書きフォルダーに残しますか?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Keep Draft</source>
        <translation>下書きを残す(&amp;K)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Attach Files</source>
        <translation>ファイルを添付</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Insert Link</source>
        <translation>リンクを挿入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Web address of the link:</source>
        <translation>リンク先のウェブアドレス:</translation>
    </message>
</context>
<context>
    <name>DropController</name>
    <message>
        <location filename="../../qt/controllers/drops.py" line="+132"/>
        <source>Copied 1 message to %1.</source>
        <translation>1 件のメッセージを %1 にコピーしました。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Copied %n messages to %1.</source>
        <translation>
            <numerusform>%n 件のメッセージを %1 にコピーしました。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Moved 1 message to %1.</source>
        <translation>1 件のメッセージを %1 に移動しました。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Moved %n messages to %1.</source>
        <translation>
            <numerusform>%n 件のメッセージを %1 に移動しました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Copying %n message(s) to %1 in %2…</source>
        <translation>
            <numerusform>%n 件のメッセージを %2 の %1 にコピーしています…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Moving %n message(s) to %1 in %2…</source>
        <translation>
            <numerusform>%n 件のメッセージを %2 の %1 に移動しています…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Moved the folder %1 to %2.</source>
        <translation>フォルダー %1 を %2 に移動しました。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Importing %n message(s) into %1…</source>
        <translation>
            <numerusform>%n 件のメッセージを %1 に取り込んでいます…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmlWindow</name>
    <message>
        <location filename="../../qt/eml_window.py" line="+21"/>
        <source>%1 – qtmail</source>
        <translation>%1 – qtmail</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../accounts/credentials.py" line="+60"/>
        <source>The system keyring could not be unlocked.</source>
        <translation>システムのキーリングのロックを解除できませんでした。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The system keyring refused to save the password.</source>
        <translation>システムのキーリングがパスワードの保存を拒否しました。</translation>
    </message>
    <message>
        <location filename="../../accounts/settings.py" line="+157"/>
        <source>The account settings file is damaged.</source>
        <translation>アカウント設定ファイルが壊れています。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>The accounts file {path} is damaged.</source>
        <translation>アカウントファイル {path} が壊れています。</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+17"/>
        <source>There is no account named “{name}”.</source>
        <translation>「{name}」という名前のアカウントはありません。</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>An account named “{account}” already exists.</source>
        <translation>「{account}」という名前のアカウントはすでにあります。</translation>
    </message>
    <message>
        <location filename="../../imap/errors.py" line="+81"/>
        <source> The server said: “{text}”</source>
        <translation> サーバーの応答:「{text}」</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The server {host} did not answer in time.</source>
        <translation>サーバー {host} が時間内に応答しませんでした。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server {host} stopped answering.</source>
        <translation>サーバー {host} が応答しなくなりました。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The server {host} only offers an outdated form of encryption (older than TLS 1.2), which is not safe.</source>
        <translation>サーバー {host} は古い暗号化方式（TLS 1.2 より前）しか提供しておらず、安全ではありません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server {host} did not start an encrypted connection on this port. Check the port and the security setting.</source>
        <translation>サーバー {host} はこのポートで暗号化された接続を開始しませんでした。ポートとセキュリティの設定を確認してください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location filename="../../sieve/client.py" line="+49"/>
        <location filename="../../smtp/send.py" line="+76"/>
        <location line="+43"/>
        <source>A secure connection to {host} could not be set up.</source>
        <translation>{host} への安全な接続を確立できませんでした。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server {host} closed the connection.</source>
        <translation>サーバー {host} が接続を閉じました。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server {host} sent an oversized response.</source>
        <translation>サーバー {host} が大きすぎる応答を送ってきました。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server {host} refused the connection.</source>
        <translation>サーバー {host} が接続を拒否しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server {host} could not do that.</source>
        <translation>サーバー {host} はその操作を実行できませんでした。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server {host} could not be reached.</source>
        <translation>サーバー {host} に接続できませんでした。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The connection to {host} was lost.</source>
        <translation>{host} との接続が切れました。</translation>
    </message>
    <message>
        <location filename="../../imap/wire.py" line="+38"/>
        <source>The server sent an oversized response.</source>
        <translation>サーバーが大きすぎる応答を送ってきました。</translation>
    </message>
    <message>
        <location filename="../../imap/fastfetch.py" line="+57"/>
        <source>The message is larger than the download limit.</source>
        <translation>メッセージがダウンロードの上限より大きいです。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server sent this message in a form qtmail cannot read. Try again later, or open it with another mail program.</source>
        <translation>サーバーから送られたこのメッセージは、qtmail が読める形式ではありません。後でもう一度試すか、別のメールソフトで開いてください。</translation>
    </message>
    <message>
        <location filename="../../imap/wire.py" line="+1"/>
        <source>The connection to the server was lost.</source>
        <translation>サーバーとの接続が切れました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server closed the connection.</source>
        <translation>サーバーが接続を閉じました。</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>The server stopped answering.</source>
        <translation>サーバーが応答しなくなりました。</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>The server refused the request.</source>
        <translation>サーバーが要求を拒否しました。</translation>
    </message>
    <message>
        <location filename="../../imap/fastfetch.py" line="+427"/>
        <location filename="../../imap/wire.py" line="-169"/>
        <source>The server sent an unexpected response.</source>
        <translation>サーバーから予期しない応答がありました。</translation>
    </message>
    <message>
        <location filename="../../imap/idle.py" line="+131"/>
        <source>The server refused to wait for new mail.</source>
        <translation>サーバーが新着メールの待機を拒否しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server answered IDLE unexpectedly.</source>
        <translation>サーバーが新着メールの待機要求に予期しない応答をしました。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The server did not end waiting for new mail.</source>
        <translation>サーバーが新着メールの待機を終了しませんでした。</translation>
    </message>
    <message>
        <location filename="../../imap/responses.py" line="+71"/>
        <source>The server sent no usable state for the folder “{name}”.</source>
        <translation>サーバーからフォルダー「{name}」の使える状態情報が届きませんでした。</translation>
    </message>
    <message>
        <location filename="../../imap/session.py" line="+58"/>
        <location filename="../../sieve/client.py" line="+137"/>
        <source>The server did not accept the user name or password.</source>
        <translation>サーバーがユーザー名またはパスワードを受け付けませんでした。</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>The server {host} does not allow signing in on this connection without encryption. Your password was not sent.</source>
        <translation>サーバー {host} は暗号化なしの接続でのサインインを許可していません。パスワードは送信されていません。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The server {host} cannot sign you in right now.</source>
        <translation>サーバー {host} は現在サインインを受け付けられません。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server {host} requires encryption to sign in.</source>
        <translation>サーバー {host} へのサインインには暗号化が必要です。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server {host} did not accept your sign-in. Sign in again to give qtmail access.</source>
        <translation>サーバー {host} はサインインを受け付けませんでした。もう一度サインインして qtmail にアクセスを許可してください。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The server did not list its features.</source>
        <translation>サーバーが対応機能の一覧を返しませんでした。</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+78"/>
        <source>The connection to {host} is closed.</source>
        <translation>{host} との接続は閉じられています。</translation>
    </message>
    <message>
        <location line="+58"/>
        <location line="+100"/>
        <source>The server did not list the folders.</source>
        <translation>サーバーがフォルダーの一覧を返しませんでした。</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>The folder “{folder}” could not be opened.</source>
        <translation>フォルダー「{folder}」を開けませんでした。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The folder “{folder}” could not be closed.</source>
        <translation>フォルダー「{folder}」を閉じられませんでした。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The folder “{folder}” could not be checked.</source>
        <translation>フォルダー「{folder}」を確認できませんでした。</translation>
    </message>
    <message>
        <location filename="../../imap/tls.py" line="+82"/>
        <source>The certificate of {host} has changed since you trusted it. It was {previous}; it is now {fingerprint}. This happens when a provider renews its certificate, but also when someone intercepts the connection: only accept it if the provider confirms the new fingerprint.</source>
        <translation>{host} の証明書は、信頼したときから変わっています。以前は {previous}、現在は {fingerprint} です。プロバイダーが証明書を更新したときに起こりますが、誰かが通信を傍受している場合にも起こります。プロバイダーが新しいフィンガープリントを確認した場合にだけ受け入れてください。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The certificate of {host} is not trusted. Its SHA-256 fingerprint is {fingerprint}. Only accept it if you can confirm this fingerprint with the provider.</source>
        <translation>{host} の証明書は信頼されていません。SHA-256 フィンガープリントは {fingerprint} です。このフィンガープリントをプロバイダーに確認できた場合のみ受け入れてください。</translation>
    </message>
    <message>
        <location line="+11"/>
        <location filename="../../sieve/client.py" line="-88"/>
        <source>The server {host} did not agree to encrypt the connection (STARTTLS). Your password was not sent.</source>
        <translation>サーバー {host} が接続の暗号化（STARTTLS）に応じませんでした。パスワードは送信されていません。</translation>
    </message>
    <message>
        <location filename="../../imap/writecmd.py" line="+128"/>
        <source>The server refused: not enough storage space (over quota).</source>
        <translation>サーバーに拒否されました: 保存容量が足りません（容量の上限を超えています）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server cannot do this right now; it will be tried again later.</source>
        <translation>サーバーは今この操作を実行できません。後でもう一度試みます。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The folder “{folder}” no longer exists on the server.</source>
        <translation>フォルダー「{folder}」はサーバー上にもうありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A folder named “{folder}” already exists on the server.</source>
        <translation>「{folder}」という名前のフォルダーはサーバー上にすでにあります。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>You do not have permission to change “{folder}”.</source>
        <translation>「{folder}」を変更する権限がありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You do not have permission to use “{folder}”.</source>
        <translation>「{folder}」を使う権限がありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused: too many messages or too much data at once.</source>
        <translation>サーバーに拒否されました: 一度に扱うメッセージまたはデータが多すぎます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Some of these messages were deleted meanwhile, on another device.</source>
        <translation>これらのメッセージの一部は、その間に別の端末で削除されました。</translation>
    </message>
    <message>
        <location filename="../../imap/writes.py" line="+89"/>
        <source>The tag “{name}” cannot be stored on the server.</source>
        <translation>タグ「{name}」はサーバーに保存できません。</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>The folder “{folder}” cannot keep the tag “{tag}” on the server.</source>
        <translation>フォルダー「{folder}」ではタグ「{tag}」をサーバーに保存できません。</translation>
    </message>
    <message>
        <location line="-124"/>
        <location line="+149"/>
        <source>The changes to messages in “{name}” were not saved.</source>
        <translation>「{name}」のメッセージへの変更は保存されませんでした。</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>The messages could not be copied to “{name}”.</source>
        <translation>メッセージを「{name}」にコピーできませんでした。</translation>
    </message>
    <message>
        <location line="+159"/>
        <source>The messages could not be moved to “{name}”.</source>
        <translation>メッセージを「{name}」に移動できませんでした。</translation>
    </message>
    <message>
        <location line="-149"/>
        <source>The messages could not be removed from “{name}”.</source>
        <translation>メッセージを「{name}」から削除できませんでした。</translation>
    </message>
    <message>
        <location line="+178"/>
        <source>The messages could not be removed from “{folder}”.</source>
        <translation>メッセージを「{folder}」から削除できませんでした。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The message could not be saved in “{name}”.</source>
        <translation>メッセージを「{name}」に保存できませんでした。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The folder “{name}” could not be created.</source>
        <translation>フォルダー「{name}」を作成できませんでした。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The folder “{name}” could not be renamed to “{new_name}”.</source>
        <translation>フォルダー「{name}」の名前を「{new_name}」に変更できませんでした。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The folder “{name}” could not be deleted.</source>
        <translation>フォルダー「{name}」を削除できませんでした。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The subscription to “{name}” could not be changed.</source>
        <translation>「{name}」の購読設定を変更できませんでした。</translation>
    </message>
    <message>
        <location filename="../../sync/scheduler.py" line="+202"/>
        <location line="+14"/>
        <source>The account&apos;s cache is not open.</source>
        <translation>アカウントのキャッシュが開かれていません。</translation>
    </message>
    <message>
        <location filename="../../sync/scheduler_search.py" line="+54"/>
        <source>The server cannot be reached: only mail on this computer was searched.</source>
        <translation>サーバーに接続できません。このコンピューター上のメールだけを検索しました。</translation>
    </message>
    <message>
        <location filename="../../sync/answers.py" line="+20"/>
        <source>This message no longer exists on the server.</source>
        <translation>このメッセージはサーバー上にもうありません。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/append.py" line="+76"/>
        <source>Importing the message did not work and was undone.</source>
        <translation>メッセージの取り込みはできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>None of the dropped files is an email message (.eml).</source>
        <translation>ドロップされたファイルにメールメッセージ（.eml）はありません。</translation>
    </message>
    <message>
        <location filename="../../smtp/compose.py" line="+87"/>
        <source>“{addr}” is not a valid email address.</source>
        <translation>「{addr}」は有効なメールアドレスではありません。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The name “{name}” looks like another address than “{addr}”; remove it or correct the address.</source>
        <translation>名前「{name}」は「{addr}」とは別のアドレスのように見えます。名前を削除するか、アドレスを修正してください。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The message being replied to has an unusable Message-ID.</source>
        <translation>返信元のメッセージの Message-ID が使えません。</translation>
    </message>
    <message>
        <location line="+168"/>
        <source>The message contains text that would add headers to it; it was not sent.</source>
        <translation>メッセージにヘッダーを追加してしまう文字列が含まれているため、送信しませんでした。</translation>
    </message>
    <message>
        <location filename="../../smtp/errors.py" line="+51"/>
        <source>The connection was lost while sending; the message may have been sent.</source>
        <translation>送信中に接続が切れました。メッセージは送信された可能性があります。</translation>
    </message>
    <message>
        <location filename="../../smtp/send.py" line="-39"/>
        <source>The mail server {host} could not be reached.</source>
        <translation>メールサーバー {host} に接続できませんでした。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The mail server {host} refused the connection.</source>
        <translation>メールサーバー {host} が接続を拒否しました。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server {host} did not agree to encrypt the connection (STARTTLS). Your password and message were not sent.</source>
        <translation>サーバー {host} が接続の暗号化（STARTTLS）に応じませんでした。パスワードとメッセージは送信されていません。</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Signing in to the mail server {host} failed.</source>
        <translation>メールサーバー {host} へのサインインに失敗しました。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The mail server {host} did not accept your sign-in. Sign in again to give qtmail access.</source>
        <translation>メールサーバー {host} はサインインを受け付けませんでした。もう一度サインインして qtmail にアクセスを許可してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The mail server {host} did not accept the user name or password.</source>
        <translation>メールサーバー {host} がユーザー名またはパスワードを受け付けませんでした。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The connection to {host} was lost; the message was not sent.</source>
        <translation>{host} との接続が切れました。メッセージは送信されていません。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The message is too large for the mail server {host}.</source>
        <translation>メッセージがメールサーバー {host} には大きすぎます。</translation>
    </message>
    <message>
        <location line="+54"/>
        <location filename="../../sync/outbox.py" line="+159"/>
        <source>The message has no recipients.</source>
        <translation>メッセージに宛先がありません。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The mail server {host} refused the sender address {sender}: {text}</source>
        <translation>メールサーバー {host} が差出人アドレス {sender} を拒否しました: {text}</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The mail server {host} refused the recipient {recipient}.</source>
        <translation>メールサーバー {host} が宛先 {recipient} を拒否しました。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mail server {host} refused the recipients {recipients}.</source>
        <translation>メールサーバー {host} が宛先 {recipients} を拒否しました。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The mail server {host} refused the message: {text}</source>
        <translation>メールサーバー {host} がメッセージを拒否しました: {text}</translation>
    </message>
    <message>
        <location filename="../../store/base.py" line="+72"/>
        <source>The local mail cache could not be opened: check that its folder exists and is writable.</source>
        <translation>ローカルのメールキャッシュを開けませんでした。フォルダーが存在し、書き込みできるか確認してください。</translation>
    </message>
    <message>
        <location filename="../../store/db.py" line="+34"/>
        <source>The local mail cache is busy: another qtmail may be using the same profile.</source>
        <translation>ローカルのメールキャッシュが使用中です。別の qtmail が同じプロファイルを使っている可能性があります。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The local mail cache was made by a newer version of qtmail.</source>
        <translation>ローカルのメールキャッシュは新しいバージョンの qtmail で作成されています。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The local mail cache is damaged; qtmail will rebuild it at the next start.</source>
        <translation>ローカルのメールキャッシュが壊れています。次回の起動時に qtmail が作り直します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../store/spool.py" line="+167"/>
        <source>The local mail cache could not be written: the disk may be full.</source>
        <translation>ローカルのメールキャッシュに書き込めませんでした。ディスクがいっぱいの可能性があります。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../store/spool.py" line="+3"/>
        <source>The local mail cache could not be read or written: the disk reported an error.</source>
        <translation>ローカルのメールキャッシュを読み書きできませんでした。ディスクがエラーを報告しました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The local mail cache could not be written: the file or its folder is read-only.</source>
        <translation>ローカルのメールキャッシュに書き込めませんでした。ファイルまたはそのフォルダーが読み取り専用です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The local mail cache could not be opened: permission denied.</source>
        <translation>ローカルのメールキャッシュを開けませんでした。アクセスが拒否されました。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The local mail cache ran out of memory.</source>
        <translation>ローカルのメールキャッシュのメモリが不足しました。</translation>
    </message>
    <message>
        <location line="+243"/>
        <source>The local mail cache is not ready yet.</source>
        <translation>ローカルのメールキャッシュはまだ準備ができていません。</translation>
    </message>
    <message>
        <location filename="../../sync/drafts.py" line="+46"/>
        <source>The draft could not be saved: it has no usable name.</source>
        <translation>下書きを保存できませんでした。使える名前がありません。</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>The Drafts folder could not be found or created on the server.</source>
        <translation>サーバー上で下書きフォルダーが見つからず、作成もできませんでした。</translation>
    </message>
    <message>
        <location filename="../../sync/engine.py" line="+185"/>
        <source>There is no folder named “{name}” in {account}.</source>
        <translation>{account} に「{name}」という名前のフォルダーはありません。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/flags.py" line="+74"/>
        <source>The change of flags did not work and was undone.</source>
        <translation>フラグの変更はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>A flag cannot be set and cleared at once.</source>
        <translation>フラグを同時に設定して解除することはできません。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The messages cannot be found to change their flags back.</source>
        <translation>フラグを元に戻すメッセージが見つかりません。</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>The message is no longer in “{folder}” on the server (it was moved or deleted), so the change could not be made.</source>
        <translation>メッセージはサーバーの「{folder}」にもうありません(移動または削除されました)。そのため、変更できませんでした。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/move.py" line="+84"/>
        <source>Moving the messages did not work and was undone.</source>
        <translation>メッセージの移動はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Messages cannot be put into “{dest}”: it only holds folders.</source>
        <translation>「{dest}」にはメッセージを入れられません。フォルダーしか入れられないフォルダーです。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The messages are already in that folder.</source>
        <translation>メッセージはすでにそのフォルダーにあります。</translation>
    </message>
    <message>
        <location line="+169"/>
        <source>Copying the messages did not work and was undone.</source>
        <translation>メッセージのコピーはできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/retrieve.py" line="+51"/>
        <source>Bringing the messages back from the other account did not work and was undone.</source>
        <translation>別のアカウントからメッセージを戻すことはできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The messages cannot be found in the other account.</source>
        <translation>もう一方のアカウントでメッセージが見つかりません。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/move.py" line="-151"/>
        <source>The moved messages cannot be found to move them back.</source>
        <translation>移動したメッセージが見つからないため、元に戻せません。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/folders.py" line="+87"/>
        <source>Creating the folder did not work and was undone.</source>
        <translation>フォルダーの作成はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+66"/>
        <source>A folder needs a name.</source>
        <translation>フォルダーには名前が必要です。</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>A folder named “{name}” already exists.</source>
        <translation>「{name}」という名前のフォルダーはすでにあります。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no folder “{parent}” to create “{name}” in.</source>
        <translation>「{name}」を作成する場所のフォルダー「{parent}」がありません。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Renaming the folder did not work and was undone.</source>
        <translation>フォルダー名の変更はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The special folder “{folder}” cannot be renamed or moved.</source>
        <translation>特別なフォルダー「{folder}」は名前の変更や移動ができません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The folder already has that name.</source>
        <translation>フォルダーはすでにその名前です。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A folder cannot be moved into one of its own subfolders.</source>
        <translation>フォルダーを自分のサブフォルダーの中へ移動することはできません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A folder named “{new}” already exists.</source>
        <translation>「{new}」という名前のフォルダーはすでにあります。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no folder “{parent}” to move “{old}” into.</source>
        <translation>「{old}」の移動先のフォルダー「{parent}」がありません。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Deleting the folder did not work and was undone.</source>
        <translation>フォルダーの削除はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The special folder “{folder}” cannot be deleted.</source>
        <translation>特別なフォルダー「{folder}」は削除できません。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Changing the subscription did not work and was undone.</source>
        <translation>購読の変更はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/context.py" line="+39"/>
        <source>There is no folder named “{name}”.</source>
        <translation>「{name}」という名前のフォルダーはありません。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The folder “{folder}” has not been synchronised yet.</source>
        <translation>フォルダー「{folder}」はまだ同期されていません。</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+8"/>
        <source>None of those messages are in “{folder}”.</source>
        <translation>それらのメッセージはどれも「{folder}」にありません。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>The folder “{folder}” no longer exists.</source>
        <translation>フォルダー「{folder}」はもうありません。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The account “{account}” is not available.</source>
        <translation>アカウント「{account}」は使用できません。</translation>
    </message>
    <message>
        <location filename="../../sync/undo.py" line="+46"/>
        <location line="+3"/>
        <source>There is nothing to undo.</source>
        <translation>元に戻せる操作はありません。</translation>
    </message>
    <message>
        <location line="-22"/>
        <location line="+14"/>
        <source>That change can no longer be undone.</source>
        <translation>その変更はもう元に戻せません。</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>That change can no longer be undone: the messages it changed are no longer where it left them.</source>
        <translation>その変更はもう元に戻せません。変更したメッセージが元の場所にありません。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>There is nothing to redo.</source>
        <translation>やり直す操作はありません。</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>That change cannot be undone.</source>
        <translation>その変更は元に戻せません。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/move.py" line="+124"/>
        <source>The copies cannot be found to undo the copy.</source>
        <translation>コピーしたメッセージが見つからないため、コピーを元に戻せません。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/base.py" line="+39"/>
        <source>The change did not work and was undone.</source>
        <translation>変更はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/expunge.py" line="+46"/>
        <source>Deleting the messages did not work and was undone.</source>
        <translation>メッセージの削除はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location filename="../../sync/ops/transfer.py" line="+69"/>
        <source>Moving the messages to the other account did not work and was undone.</source>
        <translation>別のアカウントへのメッセージの移動はできなかったため、取り消しました。</translation>
    </message>
    <message>
        <location filename="../../sync/replay.py" line="+145"/>
        <source>The folder “{folder}” was replaced on the server before your change could be made there, so the change was not applied.</source>
        <translation>変更をサーバーに反映する前に、フォルダー「{folder}」がサーバー上で置き換えられたため、変更は適用されませんでした。</translation>
    </message>
    <message>
        <location filename="../../imap/sieve_filter.py" line="+36"/>
        <source>This server cannot apply the rules to mail already in a folder; they apply to new mail.</source>
        <translation>このサーバーはフォルダー内の既存のメールにルールを適用できません。ルールは新着メールに適用されます。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server could not apply the rules to “{folder}”: {text}</source>
        <translation>サーバーは「{folder}」にルールを適用できませんでした: {text}</translation>
    </message>
    <message>
        <location filename="../../sync/rules_work.py" line="+86"/>
        <source>The folder “{folder}” is not known yet; try again after the next sync.</source>
        <translation>フォルダー「{folder}」はまだ認識されていません。次の同期の後にもう一度お試しください。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The rules cannot be applied to stored mail here.</source>
        <translation>ここでは保存済みのメールにルールを適用できません。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>This does not work with local rules.</source>
        <translation>この操作はこのデバイス上のルールでは使えません。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The rules have an error, so they were not saved. Correct the marked line.</source>
        <translation>ルールに誤りがあるため保存しませんでした。印の付いた行を直してください。</translation>
    </message>
    <message>
        <location filename="../../sieve/client.py" line="-27"/>
        <source>The filter server {host} could not be reached.</source>
        <translation>フィルターサーバー {host} に接続できませんでした。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The filter server {host} refused the connection.</source>
        <translation>フィルターサーバー {host} が接続を拒否しました。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>The connection to {host} is not encrypted. Your password was not sent.</source>
        <translation>{host} への接続は暗号化されていません。パスワードは送信していません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The filter server {host} offers no way to log in that qtmail knows ({methods}).</source>
        <translation>フィルターサーバー {host} には qtmail が対応しているログイン方法がありません（{methods}）。</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+37"/>
        <source>The filter server {host} closed the connection.</source>
        <translation>フィルターサーバー {host} が接続を閉じました。</translation>
    </message>
    <message>
        <location filename="../../sieve/errors.py" line="+65"/>
        <location filename="../../sieve/service.py" line="+89"/>
        <source>The server does not support the Sieve extension “{extension}” that the rules need.</source>
        <translation>ルールに必要な Sieve 拡張「{extension}」にサーバーが対応していません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server found an error in the rules at line {line}: {problem}</source>
        <translation>サーバーがルールの {line} 行目に誤りを見つけました: {problem}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused the rules: {problem}</source>
        <translation>サーバーがルールを受け付けませんでした: {problem}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>There is no room for the rules on {host}: the server&apos;s limit for filter scripts is reached.</source>
        <translation>{host} にルールを保存する余裕がありません。フィルタースクリプトのサーバー上限に達しています。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The filter script “{script}” does not exist on {host}.</source>
        <translation>フィルタースクリプト「{script}」は {host} にありません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A filter script named “{script}” already exists on {host}.</source>
        <translation>「{script}」という名前のフィルタースクリプトは {host} に既にあります。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The filter script “{script}” is in use; another one must be made active first.</source>
        <translation>フィルタースクリプト「{script}」は使用中です。先に別のスクリプトを有効にしてください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The filter server {host} refused: {text}</source>
        <translation>フィルターサーバー {host} が拒否しました: {text}</translation>
    </message>
    <message>
        <location filename="../../sieve/jobs.py" line="+142"/>
        <source>The rules were changed on the server since you opened them (by another program or device). Your changes were not saved; they are still in the editor. Reload to see the server&apos;s rules.</source>
        <translation>開いた後に、サーバー上のルールが（別のプログラムか端末によって）変更されました。変更は保存していませんが、エディターに残っています。サーバーのルールを見るには再読み込みしてください。</translation>
    </message>
    <message>
        <location filename="../../sieve/service.py" line="-20"/>
        <source>qtmail cannot read the filter script “{script}” on the server, so it does not change it. Correct it in the rule editor&apos;s Script tab.</source>
        <translation>qtmail はサーバー上のフィルタースクリプト「{script}」を読めないため、変更しません。ルールエディターの「スクリプト」タブで修正してください。</translation>
    </message>
    <message>
        <location filename="../../sieve/wire.py" line="+64"/>
        <source>The connection to the filter server {host} was lost.</source>
        <translation>フィルターサーバー {host} との接続が切れました。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The filter server {host} sent a reply qtmail cannot read.</source>
        <translation>フィルターサーバー {host} から qtmail が読めない応答が届きました。</translation>
    </message>
    <message>
        <location filename="../../sync/outgoing_work.py" line="+207"/>
        <source>Your draft is kept on this computer, but it could not be saved in the Drafts folder on the server. {reason}</source>
        <translation>下書きはこのコンピューターに保存されていますが、サーバーの下書きフォルダーには保存できませんでした。{reason}</translation>
    </message>
    <message>
        <location filename="../../app.py" line="+106"/>
        <source>qtmail needs the password of the account “{account}”.</source>
        <translation>アカウント「{account}」のパスワードが必要です。</translation>
    </message>
    <message>
        <location filename="../../sync/outbox.py" line="-4"/>
        <source>This account has no outgoing server, so the message was not sent. Open its settings to add one.</source>
        <translation>このアカウントには送信サーバーがないため、メッセージは送信されませんでした。アカウント設定を開いて追加してください。</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>This account has no outgoing server. Open its settings to add one.</source>
        <translation>このアカウントには送信サーバーがありません。アカウント設定を開いて追加してください。</translation>
    </message>
    <message>
        <location filename="../../net/one_click.py" line="+21"/>
        <source>This list&apos;s unsubscribe address is not a secure web address.</source>
        <translation>このリストの登録解除先は安全なウェブアドレスではありません。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The list at {host} could not be reached to unsubscribe you. Try again later.</source>
        <translation>登録を解除するために {host} のリストに接続できませんでした。後でもう一度試してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The list at {host} did not confirm the unsubscription (answer {status}).</source>
        <translation>{host} のリストは登録解除を確認しませんでした(応答 {status})。</translation>
    </message>
    <message>
        <location filename="../../accounts/oauth/flow.py" line="+87"/>
        <source>The provider&apos;s sign-in address is not secure (not https), so qtmail did not use it.</source>
        <translation>プロバイダーのサインイン用アドレスが安全ではない（ｈｔｔｐｓ ではない）ため、qtmail は使いませんでした。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>qtmail could not open your web browser for the sign-in page.</source>
        <translation>qtmail はサインインページ用にウェブブラウザーを開けませんでした。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The provider refused to give qtmail access after the sign-in.</source>
        <translation>サインインの後、プロバイダーが qtmail へのアクセス許可を拒否しました。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>qtmail could not reach the provider to finish the sign-in. Check the network connection and try again.</source>
        <translation>サインインを完了するためにプロバイダーへ接続できませんでした。ネットワーク接続を確認して、もう一度お試しください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The provider did not allow qtmail to stay signed in, so it would ask you again every hour. Sign in again and allow offline access.</source>
        <translation>プロバイダーが qtmail のサインイン状態の維持を許可しなかったため、毎時間サインインを求めることになります。もう一度サインインして、オフラインアクセスを許可してください。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The sign-in answer did not come from the page qtmail opened, so qtmail ignored it. Try again.</source>
        <translation>サインインの応答が qtmail の開いたページから来たものではなかったため、無視しました。もう一度お試しください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sign-in answer came from another provider than the one qtmail asked, so qtmail ignored it.</source>
        <translation>サインインの応答が qtmail の問い合わせたプロバイダーとは別のところから来たため、無視しました。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You did not give qtmail access to your mail on the sign-in page.</source>
        <translation>サインインページで qtmail にメールへのアクセスを許可しませんでした。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The provider&apos;s sign-in page ended with an error: {error}.</source>
        <translation>プロバイダーのサインインページがエラーで終了しました: {error}。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The sign-in was cancelled.</source>
        <translation>サインインは取り消されました。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sign-in page was not finished in time. Try again.</source>
        <translation>サインインページが時間内に完了しませんでした。もう一度お試しください。</translation>
    </message>
    <message>
        <location filename="../../accounts/oauth/tokens.py" line="+125"/>
        <source>qtmail&apos;s access to the account “{account}” has ended (it was withdrawn, or lapsed). Sign in again to keep reading your mail.</source>
        <translation>アカウント「{account}」への qtmail のアクセスが終了しました（取り消されたか、期限が切れました）。メールを読み続けるには、もう一度サインインしてください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>qtmail could not renew its access to the account “{account}”: the provider&apos;s sign-in server did not answer.</source>
        <translation>アカウント「{account}」へのアクセスを更新できませんでした。プロバイダーのサインインサーバーが応答しませんでした。</translation>
    </message>
    <message>
        <location filename="../../store/spool.py" line="-77"/>
        <source>The message&apos;s copy kept on this computer is missing (the file was removed), so this cannot be done.</source>
        <translation>このコンピューターに保存していたメッセージのコピーが見つからない（ファイルが削除された）ため、この操作はできません。</translation>
    </message>
</context>
<context>
    <name>FolderDelegate</name>
    <message numerus="yes">
        <location filename="../../qt/widgets/folder_view.py" line="+82"/>
        <source>%n unread</source>
        <translation>
            <numerusform>未読 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n messages</source>
        <translation>
            <numerusform>全 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderPicker</name>
    <message>
        <location filename="../../qt/widgets/folder_picker.py" line="+29"/>
        <source>Type to filter folders</source>
        <translation>入力してフォルダーを絞り込み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder name filter</source>
        <translation>フォルダー名で絞り込み</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folders</source>
        <translation>フォルダー</translation>
    </message>
</context>
<context>
    <name>FolderTreeModel</name>
    <message>
        <location filename="../../qt/models/folders.py" line="+38"/>
        <source>Inbox</source>
        <translation>受信トレイ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drafts</source>
        <translation>下書き</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent</source>
        <translation>送信済み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archive</source>
        <translation>アーカイブ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Junk</source>
        <translation>迷惑メール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trash</source>
        <translation>ごみ箱</translation>
    </message>
    <message>
        <location line="+142"/>
        <source>All Inboxes</source>
        <translation>すべての受信トレイ</translation>
    </message>
</context>
<context>
    <name>FolderView</name>
    <message>
        <location filename="../../qt/widgets/folder_view.py" line="+14"/>
        <source>Folders</source>
        <translation>フォルダー</translation>
    </message>
</context>
<context>
    <name>Gui</name>
    <message>
        <location filename="../../app.py" line="+14"/>
        <source>qtmail</source>
        <translation>qtmail</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>This email link could not be opened: it is damaged, or it tries to add hidden lines to the message.</source>
        <translation>このメールリンクは開けませんでした。壊れているか、メッセージに隠れた行を加えようとしています。</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Remove account</source>
        <translation>アカウントの削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the account “%1” from qtmail?</source>
        <translation>アカウント「%1」を qtmail から削除しますか?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mail stays on the server. qtmail deletes its copy on this computer, the account&apos;s settings and its saved passwords.</source>
        <translation>メールはサーバーに残ります。qtmail はこのコンピューター上のコピー、アカウントの設定、保存されたパスワードを削除します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Remove Account</source>
        <translation>アカウントを削除(&amp;R)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The account was removed from this computer.</source>
        <translation>アカウントをこのコンピューターから削除しました。</translation>
    </message>
</context>
<context>
    <name>IdentitiesPage</name>
    <message>
        <location filename="../../qt/widgets/identities_page.py" line="+25"/>
        <source>Signature</source>
        <translation>署名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Added under “-- ” at the end of new messages and replies</source>
        <translation>新規メッセージと返信の末尾の「-- 」の下に追加されます</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Other addresses</source>
        <translation>その他のアドレス</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One per line, for example: Team Support &lt;support@example.org&gt;</source>
        <translation>1 行に 1 つ。例: Team Support &lt;support@example.org&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Signature:</source>
        <translation>署名(&amp;S):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Other addresses to send from (the same servers):</source>
        <translation>送信に使うその他のアドレス(同じサーバー)(&amp;O):</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Line %1 of the other addresses is not one valid email address: %2</source>
        <translation>その他のアドレスの %1 行目は有効なメールアドレス 1 つではありません: %2</translation>
    </message>
</context>
<context>
    <name>LocalRulesBanner</name>
    <message>
        <location filename="../../qt/widgets/rules/local_banner.py" line="+25"/>
        <source>Use Rules on This Device Only</source>
        <translation>このデバイスだけでルールを使う</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move Rules to the Server</source>
        <translation>ルールをサーバーに移す</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This server does not offer rules of its own (ManageSieve). qtmail can keep rules on this device instead: they then sort new mail in the Inbox only while qtmail is open here, and other devices do not run them.</source>
        <translation>このサーバーには独自のルール機能(ManageSieve)がありません。代わりに qtmail がこのデバイスにルールを保存できます。その場合、ルールはここで qtmail を開いている間だけ受信トレイの新着メールを振り分け、ほかのデバイスでは動きません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>These rules run only on this device, on new mail in the Inbox, while qtmail is open. Vacation replies and forwarding need rules on the server.</source>
        <translation>これらのルールはこのデバイスだけで、qtmail を開いている間、受信トレイの新着メールに適用されます。不在時の自動返信と転送にはサーバーのルールが必要です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server offers rules of its own now: move them there, and they work on every device.</source>
        <translation>サーバーが独自のルール機能に対応しました。サーバーに移すと、すべてのデバイスで動きます。</translation>
    </message>
</context>
<context>
    <name>MainActions</name>
    <message>
        <location filename="../../qt/widgets/actions.py" line="+23"/>
        <source>&amp;Get Messages</source>
        <translation>メッセージを取得(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check every account for new mail now</source>
        <translation>すべてのアカウントの新着メールを今すぐ確認します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Write</source>
        <translation>作成(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a new message</source>
        <translation>新しいメッセージを作成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reply</source>
        <translation>返信(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply to the sender of the selected message</source>
        <translation>選択したメッセージの差出人に返信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply &amp;All</source>
        <translation>全員に返信(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply to the sender and every recipient</source>
        <translation>差出人とすべての受信者に返信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Forward</source>
        <translation>転送(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward the selected message with its attachments</source>
        <translation>選択したメッセージを添付ファイルごと転送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Forward as A&amp;ttachment</source>
        <translation>添付ファイルとして転送(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward the selected message as an attached file</source>
        <translation>選択したメッセージをファイルとして添付して転送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit Draft</source>
        <translation>下書きを編集(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue writing the selected draft</source>
        <translation>選択した下書きの続きを書く</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>削除(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the selected messages to the Trash</source>
        <translation>選択したメッセージをごみ箱に移動します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete &amp;Permanently…</source>
        <translation>完全に削除(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected messages for good, after asking</source>
        <translation>確認のうえ、選択したメッセージを完全に削除します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arc&amp;hive</source>
        <translation>アーカイブ(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the selected messages to the Archive folder</source>
        <translation>選択したメッセージをアーカイブフォルダーに移動します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark as &amp;Read/Unread</source>
        <translation>既読/未読にする(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark the selected messages read, or unread</source>
        <translation>選択したメッセージを既読、または未読にします</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark as &amp;Unread</source>
        <translation>未読にする(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark the selected messages unread</source>
        <translation>選択したメッセージを未読にします</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark &amp;Folder Read</source>
        <translation>フォルダーを既読にする(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark every message in the selected folder as read</source>
        <translation>選択したフォルダーのすべてのメッセージを既読にします</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../qt/widgets/main_window.py" line="+530"/>
        <source>&amp;Empty Trash…</source>
        <translation>ごみ箱を空にする(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../qt/widgets/main_window.py" line="+1"/>
        <source>Delete every message in the Trash for good, after asking</source>
        <translation>確認のうえ、ごみ箱のすべてのメッセージを完全に削除します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Star</source>
        <translation>スターを付ける(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Star the selected messages, or remove the star</source>
        <translation>選択したメッセージにスターを付ける、またはスターを外します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Move To…</source>
        <translation>移動(&amp;M)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the selected messages to another folder</source>
        <translation>選択したメッセージを別のフォルダーに移動します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy To…</source>
        <translation>コピー(&amp;C)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the selected messages to another folder</source>
        <translation>選択したメッセージを別のフォルダーにコピーします</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo the last change to your mail</source>
        <translation>メールへの最後の変更を元に戻します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make again the change you undid</source>
        <translation>元に戻した変更をもう一度行います</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open in New &amp;Window</source>
        <translation>新しいウィンドウで開く(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the selected messages in windows of their own (Enter, double-click)</source>
        <translation>選択したメッセージをそれぞれ別のウィンドウで表示します(Enter、ダブルクリック)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>View &amp;Source</source>
        <translation>ソースを表示(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the selected message as it was sent, headers and all</source>
        <translation>選択したメッセージを送られたままの形で、ヘッダーも含めて表示します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save &amp;As…</source>
        <translation>名前を付けて保存(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the selected message as an .eml file</source>
        <translation>選択したメッセージを .eml ファイルとして保存します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Print…</source>
        <translation>印刷(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print the message shown</source>
        <translation>表示中のメッセージを印刷します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as P&amp;DF…</source>
        <translation>ＰＤＦとして保存(&amp;D)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the message shown as a PDF file</source>
        <translation>表示中のメッセージを PDF ファイルとして保存します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy Sender&apos;s A&amp;ddress</source>
        <translation>差出人のアドレスをコピー(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the sender&apos;s email address</source>
        <translation>差出人のメールアドレスをコピーします</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark as &amp;Junk</source>
        <translation>迷惑メールにする(&amp;J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the selected messages to Junk, which teaches the server&apos;s junk filter</source>
        <translation>選択したメッセージを迷惑メールフォルダーに移し、サーバーの迷惑メールフィルターに学習させます</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark as &amp;Not Junk</source>
        <translation>迷惑メールではない(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the selected messages back to the Inbox and tell the junk filter they are wanted</source>
        <translation>選択したメッセージを受信トレイに戻し、必要なメールであることを迷惑メールフィルターに伝えます</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Junk</source>
        <translation>迷惑メール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not Junk</source>
        <translation>迷惑メールではない</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Next Message</source>
        <translation>次のメッセージ(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the next message in the list</source>
        <translation>一覧の次のメッセージを表示します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Previous Message</source>
        <translation>前のメッセージ(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the previous message in the list</source>
        <translation>一覧の前のメッセージを表示します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next &amp;Unread Message</source>
        <translation>次の未読メッセージ(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the next unread message</source>
        <translation>次の未読メッセージを表示します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New Folder…</source>
        <translation>新しいフォルダー(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a folder in the selected account</source>
        <translation>選択したアカウントにフォルダーを作成します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rename Folder…</source>
        <translation>フォルダー名を変更(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename the selected folder</source>
        <translation>選択したフォルダーの名前を変更します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete &amp;Folder…</source>
        <translation>フォルダーを削除(&amp;F)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected folder and its messages</source>
        <translation>選択したフォルダーとその中のメッセージを削除します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message View &amp;Below the List</source>
        <translation>メッセージを一覧の下に表示(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the message below the list instead of beside it</source>
        <translation>メッセージを一覧の横ではなく下に表示します</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reading Pane</source>
        <translation>閲覧ペイン(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the selected message beside or below the list; without it, Enter opens it in a window</source>
        <translation>選んだメッセージを一覧の横か下に表示します。表示しないときは Enter キーでウィンドウに開きます</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Preview Lines</source>
        <translation>本文のプレビュー行(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the first words of each message under its subject</source>
        <translation>各メッセージの件名の下に本文の最初の部分を表示します</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Search…</source>
        <translation>検索(&amp;S)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Search mail</source>
        <translation>メールを検索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change qtmail&apos;s settings</source>
        <translation>qtmail の設定を変更します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Account Setup…</source>
        <translation>アカウント設定(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an email account</source>
        <translation>メールアカウントを追加します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Account Se&amp;ttings…</source>
        <translation>アカウント設定(&amp;T)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the servers, user name, password, addresses and signature of the selected account</source>
        <translation>選択したアカウントのサーバー、ユーザー名、パスワード、アドレス、署名を変更します</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remo&amp;ve Account…</source>
        <translation>アカウントを削除(&amp;V)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected account and its copy of the mail from this computer, after asking</source>
        <translation>確認したうえで、選択したアカウントとそのメールのコピーをこのコンピューターから削除します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>キーボードショートカット(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List the keys of every command</source>
        <translation>すべてのコマンドのキーを一覧にします</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom &amp;In</source>
        <translation>拡大(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Larger text in the message</source>
        <translation>メッセージの文字を大きくします</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom &amp;Out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Smaller text in the message</source>
        <translation>メッセージの文字を小さくします</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Actual Size</source>
        <translation>標準のサイズ(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The message&apos;s text at its normal size</source>
        <translation>メッセージの文字を標準の大きさに戻します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Close qtmail</source>
        <translation>qtmail を終了します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About qtmail</source>
        <translation>qtmail について(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show qtmail&apos;s version and license</source>
        <translation>qtmail のバージョンとライセンスを表示します</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/main_window.py" line="-5"/>
        <source>&amp;Empty Junk…</source>
        <translation>迷惑メールを空にする(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete every message in Junk for good, after asking</source>
        <translation>確認のうえ、迷惑メールフォルダーのすべてのメッセージを完全に削除します</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../qt/widgets/empty_state.py" line="+18"/>
        <source>&lt;h2&gt;Welcome to qtmail&lt;/h2&gt;&lt;p&gt;There is no email account yet. Add one to read your mail here; it stays on your server and in sync with your other devices.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;qtmail へようこそ&lt;/h2&gt;&lt;p&gt;メールアカウントがまだありません。アカウントを追加すると、ここでメールを読めます。メールはサーバーに残り、ほかのデバイスとも同期されます。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add an Account…</source>
        <translation>アカウントを追加…</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/window_menus.py" line="+27"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/appearance_menu.py" line="+18"/>
        <source>Follow &amp;System</source>
        <translation>システムに合わせる(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Light</source>
        <translation>ライト(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dark</source>
        <translation>ダーク(&amp;D)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../qt/widgets/window_menus.py" line="+3"/>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Appearance</source>
        <translation>外観(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/window_menus.py" line="+3"/>
        <source>&amp;Go</source>
        <translation>移動(&amp;G)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Message</source>
        <translation>メッセージ(&amp;M)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Main toolbar</source>
        <translation>メインツールバー</translation>
    </message>
    <message>
        <location filename="../../qt/controllers/folders.py" line="+62"/>
        <source>This folder is too big to show as conversations; it stays a flat list.</source>
        <translation>このフォルダーは大きすぎるため会話ごとに表示できません。通常の一覧のままにします。</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/main_window.py" line="-169"/>
        <source>Select an account in the folder list first.</source>
        <translation>先にフォルダー一覧でアカウントを選択してください。</translation>
    </message>
    <message>
        <location line="+185"/>
        <source>Remote content from %1 is allowed from now on.</source>
        <translation>今後、%1 からのリモートコンテンツを許可します。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This folder is too big to sort by that column; it stays sorted by date.</source>
        <translation>このフォルダーは大きすぎるため、その列では並べ替えられません。日付順のままにします。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>qtmail</source>
        <translation>qtmail</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/rules/menu.py" line="+39"/>
        <source>&amp;Tools</source>
        <translation>ツール(&amp;T)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Rules…</source>
        <translation>ルール(&amp;R)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter rules the server runs on new mail, and the automatic reply</source>
        <translation>サーバーが新着メールに適用するフィルタールールと自動返信</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Create Rule from This &amp;Message…</source>
        <translation>このメッセージからルールを作成(&amp;M)…</translation>
    </message>
</context>
<context>
    <name>MessageCommands</name>
    <message numerus="yes">
        <location filename="../../qt/controllers/commands.py" line="+134"/>
        <source>Delete %n message(s) for good? This cannot be undone.</source>
        <translation>
            <numerusform>%n 件のメッセージを完全に削除しますか? この操作は元に戻せません。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete Permanently</source>
        <translation>完全に削除</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Copy to Folder</source>
        <translation>フォルダーにコピー</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Move to Folder</source>
        <translation>フォルダーに移動</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>This account has no Junk folder, so the messages stay where they are. Create a folder named Junk to use it.</source>
        <translation>このアカウントには迷惑メールフォルダーがないため、メッセージはそのままです。使うには Junk という名前のフォルダーを作ってください。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>New Folder</source>
        <translation>新しいフォルダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name of the new folder (use / for a subfolder):</source>
        <translation>新しいフォルダーの名前 (サブフォルダーは / で区切ります):</translation>
    </message>
    <message numerus="yes">
        <location line="+23"/>
        <source>Delete the %n message(s) in “%1” for good? This cannot be undone.</source>
        <translation>
            <numerusform>「%1」の %n 件のメッセージを完全に削除しますか？ 元に戻すことはできません。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Empty “%1”</source>
        <translation>「%1」を空にする</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Rename Folder</source>
        <translation>フォルダー名の変更</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New name:</source>
        <translation>新しい名前:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Delete the folder “%1” and every message in it, on the server too?</source>
        <translation>フォルダー「%1」とその中のすべてのメッセージを、サーバーからも削除しますか?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete Folder</source>
        <translation>フォルダーを削除</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../qt/widgets/message_list.py" line="+192"/>
        <source>(no sender)</source>
        <translation>(差出人なし)</translation>
    </message>
    <message>
        <location line="-81"/>
        <location line="+103"/>
        <source>(no subject)</source>
        <translation>(件名なし)</translation>
    </message>
</context>
<context>
    <name>MessageHeader</name>
    <message>
        <location filename="../../qt/printing.py" line="+27"/>
        <location filename="../../qt/widgets/message_header.py" line="+99"/>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <location line="-3"/>
        <location filename="../../qt/widgets/message_header.py" line="+6"/>
        <source>From:</source>
        <translation>差出人:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../qt/widgets/message_header.py" line="+1"/>
        <source>To:</source>
        <translation>宛先:</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../qt/widgets/message_header.py" line="+2"/>
        <source>Date:</source>
        <translation>日時:</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/message_header.py" line="+54"/>
        <source>&amp;Copy Address</source>
        <translation>アドレスをコピー(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Write To…</source>
        <translation>このアドレスにメールを書く(&amp;W)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Search Mail From This Address</source>
        <translation>このアドレスからのメールを検索(&amp;S)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(no subject)</source>
        <translation>(件名なし)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(unknown sender)</source>
        <translation>(差出人不明)</translation>
    </message>
    <message>
        <location filename="../../qt/models/columns.py" line="+98"/>
        <source>(no valid date)</source>
        <translation>(有効な日時なし)</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/message_header.py" line="+18"/>
        <source>The sender&apos;s name contains the address %1, but the message was sent from %2.</source>
        <translation>差出人名にはアドレス %1 が含まれていますが、このメッセージは %2 から送信されています。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The sender&apos;s name contains “@”, as an address would; the message was sent from %1.</source>
        <translation>差出人の名前にアドレスのような「@」が含まれています。このメッセージの実際の送信元は %1 です。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The sender&apos;s name mentions %1, but the message was sent from %2.</source>
        <translation>差出人の名前には %1 とありますが、このメッセージの送信元は %2 です。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The sender&apos;s address %1 mixes alphabets or uses letters that imitate Latin ones; it is shown as %2 and may imitate another address.</source>
        <translation>差出人のアドレス %1 は複数の文字体系が混在しているか、ラテン文字に似た文字を使っています。%2 と表示しています。別のアドレスを装っている可能性があります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Invalid sender: the sender&apos;s address is malformed; the sender may not be who it claims.</source>
        <translation>無効な差出人: 差出人のアドレスが不正な形式です。名乗っている本人ではない可能性があります。</translation>
    </message>
</context>
<context>
    <name>MessageList</name>
    <message>
        <location filename="../../qt/models/columns.py" line="+36"/>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/column_menu.py" line="+55"/>
        <source>Restore Default Columns</source>
        <translation>列を既定に戻す</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <location filename="../../qt/models/columns.py" line="-88"/>
        <source>From</source>
        <translation>差出人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>日時</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipients</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cc</source>
        <translation>Ｃｃ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attachments</source>
        <translation>添付</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flags</source>
        <translation>フラグ</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Starred.</source>
        <translation>スター付き。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You replied to this message and forwarded it.</source>
        <translation>このメッセージに返信し、転送しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You replied to this message.</source>
        <translation>このメッセージに返信しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You forwarded this message.</source>
        <translation>このメッセージを転送しました。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Message could not be read</source>
        <translation>メッセージを読み込めませんでした</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Attachment</source>
        <translation>添付あり</translation>
    </message>
</context>
<context>
    <name>MessageListView</name>
    <message>
        <location filename="../../qt/widgets/message_list.py" line="+66"/>
        <source>Messages</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location filename="../../qt/dragdrop.py" line="+248"/>
        <source>1 message</source>
        <translation>1 件のメッセージ</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n messages</source>
        <translation>
            <numerusform>%n 件のメッセージ</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageLists</name>
    <message>
        <location filename="../../qt/widgets/message_lists.py" line="+226"/>
        <source>All Inboxes</source>
        <translation>すべての受信トレイ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search results</source>
        <translation>検索結果</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Threaded View</source>
        <translation>スレッド表示(&amp;T)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Group this folder&apos;s messages into conversations</source>
        <translation>このフォルダーのメッセージを会話ごとにまとめます</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <location filename="../../qt/widgets/message_view.py" line="+64"/>
        <source>Save Image</source>
        <translation>画像を保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png)</source>
        <translation>ＰＮＧ画像 (*.png)</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Message body</source>
        <translation>メッセージ本文</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Edit Draft</source>
        <translation>下書きを編集(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue writing this draft</source>
        <translation>この下書きの続きを書く</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Unsubscribe</source>
        <translation>登録解除(&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave this mailing list</source>
        <translation>このメーリングリストから抜けます</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open in &amp;Browser</source>
        <translation>ブラウザーで開く(&amp;B)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A copy of this message as shown here, in your web browser</source>
        <translation>ここに表示しているとおりのメッセージのコピーをウェブブラウザーで開きます</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Load for this message</source>
        <translation>このメッセージで読み込む</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Always for this sender</source>
        <translation>この差出人は常に読み込む</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No message selected.</source>
        <translation>メッセージが選択されていません。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Loading message…</source>
        <translation>メッセージを読み込んでいます…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This message could not be shown.</source>
        <translation>このメッセージを表示できませんでした。</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Cancelled: %1</source>
        <translation>取り消し: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Invitation: %1</source>
        <translation>招待: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(no title)</source>
        <translation>(タイトルなし)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>When: %1</source>
        <translation>日時: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where: %1</source>
        <translation>場所: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Organizer: %1</source>
        <translation>主催者: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>image.png</source>
        <translation>画像.png</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save</source>
        <translation>保存できませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The picture could not be saved there. Choose another folder.</source>
        <translation>画像をそこに保存できませんでした。別のフォルダーを選んでください。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This message&apos;s formatting is too complex to display safely; it is shown as plain text.</source>
        <translation>このメッセージの書式は複雑すぎて安全に表示できないため、プレーンテキストで表示しています。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This message is very long; only its beginning is shown. Save it to read all of it.</source>
        <translation>このメッセージは非常に長いため、冒頭のみ表示しています。全文を読むには保存してください。</translation>
    </message>
    <message numerus="yes">
        <location line="+34"/>
        <source>%n tracking image(s) removed.</source>
        <translation>
            <numerusform>トラッキング画像を %n 件取り除きました。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Loading remote images (%1 of %2)…</source>
        <translation>リモート画像を読み込み中 (%2 件中 %1 件)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remote images loaded (%1 of %2).</source>
        <translation>リモート画像を読み込みました (%2 件中 %1 件)。</translation>
    </message>
    <message numerus="yes">
        <location line="+20"/>
        <source>Remote content blocked (%n item(s)).</source>
        <translation>
            <numerusform>リモートコンテンツをブロックしました (%n 件)。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Link not opened</source>
        <translation>リンクを開きませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This link was not opened: qtmail opens only web (http, https) and e-mail (mailto) links.

Its target was: %1</source>
        <translation>このリンクは開きませんでした。qtmail が開くのは Web (http、https) とメール (mailto) のリンクだけです。

リンク先: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open link?</source>
        <translation>リンクを開きますか?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This link opens:</source>
        <translation>このリンクの行き先:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ Warning: this link&apos;s text shows %1, but it goes elsewhere. It may be a scam; open it only if you expected this target.</source>
        <translation>⚠ 警告: このリンクの表示テキストは %1 ですが、実際の移動先は別の場所です。詐欺の可能性があります。この移動先を予期していた場合のみ開いてください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A new message to %1.</source>
        <translation>%1 宛ての新しいメッセージ。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Host: %1 (spelled %2). This name uses non-Latin letters; some look like Latin ones and can imitate another site.</source>
        <translation>ホスト: %1 (表記: %2)。この名前にはラテン文字以外の文字が使われています。ラテン文字に似た文字で別のサイトを装っている可能性があります。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Host: %1</source>
        <translation>ホスト: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The text before “@” (%1) is not the site: the link goes to %2.</source>
        <translation>「@」より前の部分 (%1) はサイトではありません。リンク先は %2 です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection will not be encrypted.</source>
        <translation>接続は暗号化されません。</translation>
    </message>
    <message>
        <location filename="../../qt/widgets/reading.py" line="+44"/>
        <source>From: %1</source>
        <translation>差出人: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To: %1</source>
        <translation>宛先: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date: %1</source>
        <translation>日付: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject: %1</source>
        <translation>件名: %1</translation>
    </message>
</context>
<context>
    <name>MessageWindow</name>
    <message>
        <location filename="../../qt/controllers/message_windows.py" line="+93"/>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Reply</source>
        <translation>返信(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply &amp;All</source>
        <translation>全員に返信(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Forward</source>
        <translation>転送(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>削除(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arc&amp;hive</source>
        <translation>アーカイブ(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Junk</source>
        <translation>迷惑メール(&amp;J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Star</source>
        <translation>スター(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark &amp;Unread</source>
        <translation>未読にする(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Print…</source>
        <translation>印刷(&amp;P)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Previous</source>
        <translation>前へ(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Next</source>
        <translation>次へ(&amp;N)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>(no subject)</source>
        <translation>(件名なし)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 – qtmail</source>
        <translation>%1 – qtmail</translation>
    </message>
</context>
<context>
    <name>MessageWindows</name>
    <message>
        <location line="-81"/>
        <source>Save Message As</source>
        <translation>メッセージを保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mail message (*.eml)</source>
        <translation>メールメッセージ (*.eml)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save as PDF</source>
        <translation>PDF として保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文書 (*.pdf)</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>Open a message first, then print it.</source>
        <translation>先にメッセージを開いてから印刷してください。</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>The message could not be saved there. Choose another folder.</source>
        <translation>そこにはメッセージを保存できませんでした。別のフォルダーを選んでください。</translation>
    </message>
</context>
<context>
    <name>NewMailWatcher</name>
    <message>
        <location filename="../../qt/new_mail.py" line="+102"/>
        <source>New message from %1</source>
        <translation>%1 さんからの新着メッセージ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(no subject)</source>
        <translation>(件名なし)</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n new messages</source>
        <translation>
            <numerusform>%n 件の新着メッセージ</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../sync/ops/append.py" line="+52"/>
        <source>Import a message into “{folder}”</source>
        <translation>メッセージを「{folder}」に取り込む</translation>
    </message>
    <message>
        <location filename="../../sync/ops/expunge.py" line="+41"/>
        <source>Delete 1 message for good</source>
        <translation>1 件のメッセージを完全に削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {count} messages for good</source>
        <translation>{count} 件のメッセージを完全に削除</translation>
    </message>
    <message>
        <location filename="../../sync/ops/flags.py" line="-23"/>
        <source>Mark 1 message as read</source>
        <translation>1 件のメッセージを既読にする</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark {count} messages as read</source>
        <translation>{count} 件のメッセージを既読にする</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mark 1 message as unread</source>
        <translation>1 件のメッセージを未読にする</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark {count} messages as unread</source>
        <translation>{count} 件のメッセージを未読にする</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Star 1 message</source>
        <translation>1 件のメッセージにスターを付ける</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Star {count} messages</source>
        <translation>{count} 件のメッセージにスターを付ける</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove the star from 1 message</source>
        <translation>1 件のメッセージのスターを外す</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the star from {count} messages</source>
        <translation>{count} 件のメッセージのスターを外す</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change the flags of 1 message</source>
        <translation>1 件のメッセージのフラグを変更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the flags of {count} messages</source>
        <translation>{count} 件のメッセージのフラグを変更</translation>
    </message>
    <message>
        <location filename="../../sync/ops/folders.py" line="-172"/>
        <source>Create the folder “{name}”</source>
        <translation>フォルダー「{name}」を作成</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Rename “{old}” to “{new}”</source>
        <translation>「{old}」の名前を「{new}」に変更</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Delete the folder “{name}”</source>
        <translation>フォルダー「{name}」を削除</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Subscribe to “{name}”</source>
        <translation>「{name}」を購読</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unsubscribe from “{name}”</source>
        <translation>「{name}」の購読を解除</translation>
    </message>
    <message>
        <location filename="../../sync/ops/move.py" line="+17"/>
        <source>Copy 1 message to “{dest}”</source>
        <translation>1 件のメッセージを「{dest}」にコピー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy {count} messages to “{dest}”</source>
        <translation>{count} 件のメッセージを「{dest}」にコピー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move 1 message to “{dest}”</source>
        <translation>1 件のメッセージを「{dest}」に移動</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move {count} messages to “{dest}”</source>
        <translation>{count} 件のメッセージを「{dest}」に移動</translation>
    </message>
    <message>
        <location filename="../../sync/ops/retrieve.py" line="+36"/>
        <source>Bring 1 message back from {account}</source>
        <translation>{account} から 1 件のメッセージを戻す</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bring {count} messages back from {account}</source>
        <translation>{account} から {count} 件のメッセージを戻す</translation>
    </message>
    <message>
        <location filename="../../sync/ops/transfer.py" line="+74"/>
        <source>Copy 1 message to “{dest}” of {account}</source>
        <translation>1 件のメッセージを {account} の「{dest}」にコピー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy {count} messages to “{dest}” of {account}</source>
        <translation>{count} 件のメッセージを {account} の「{dest}」にコピー</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Move 1 message to “{dest}” of {account}</source>
        <translation>1 件のメッセージを {account} の「{dest}」に移動</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move {count} messages to “{dest}” of {account}</source>
        <translation>{count} 件のメッセージを {account} の「{dest}」に移動</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../qt/widgets/password_dialog.py" line="+35"/>
        <source>Password for %1</source>
        <translation>%1 のパスワード</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the password that %1 uses to send mail through %2.</source>
        <translation>%1 が %2 経由でメールを送信するためのパスワードを入力してください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the password that %1 uses to sign in to %2.</source>
        <translation>%1 が %2 にサインインするためのパスワードを入力してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remember the password in the system keyring</source>
        <translation>パスワードをシステムのキーリングに保存する(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This computer has no system keyring, so qtmail keeps the password only until it closes and asks for it again next time.</source>
        <translation>このコンピューターにはシステムのキーリングがないため、qtmail はパスワードを終了するまでの間だけ保持し、次回また尋ねます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Connect</source>
        <translation>接続(&amp;C)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Send</source>
        <translation>送信(&amp;S)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Password:</source>
        <translation>パスワード(&amp;P):</translation>
    </message>
</context>
<context>
    <name>PlainMessageView</name>
    <message>
        <location filename="../../qt/widgets/reading.py" line="+11"/>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From: %1</source>
        <translation>差出人: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date: %1</source>
        <translation>日時: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject: %1</source>
        <translation>件名: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(This message is in HTML: the full view comes with the message view.)</source>
        <translation>(このメッセージは HTML 形式です。完全な表示はメッセージ表示機能で対応します。)</translation>
    </message>
</context>
<context>
    <name>PolicyFields</name>
    <message>
        <location filename="../../qt/widgets/settings_dialog.py" line="+57"/>
        <source>&amp;All mail</source>
        <translation>すべてのメール(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only the &amp;last</source>
        <translation>直近のみ(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> days</source>
        <translation> 日分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As soon as it arrives (&amp;push)</source>
        <translation>届いたらすぐ (プッシュ)(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Every</source>
        <translation>間隔(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> minutes</source>
        <translation> 分ごと</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Mail older than that which is already on this computer stays here; older mail is fetched when you scroll to it.</source>
        <translation>それより古いメールでも、すでにこのコンピューターにあるものは残ります。さらに古いメールは、スクロールしたときに取得されます。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Keep in sync:</source>
        <translation>同期する範囲:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check for new mail:</source>
        <translation>新着メールの確認:</translation>
    </message>
</context>
<context>
    <name>ProblemDialog</name>
    <message>
        <location filename="../../qt/widgets/problem_dialog.py" line="+60"/>
        <source>qtmail ran into a problem</source>
        <translation>qtmail で問題が発生しました</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Something went wrong inside qtmail. This is a mistake in qtmail, not something you did. Your mail on the server is safe, and you can keep working. If it happens again, please copy the details and send them to the qtmail developers.</source>
        <translation>qtmail の内部で問題が発生しました。これは qtmail の不具合であり、あなたの操作が原因ではありません。サーバー上のメールは安全で、このまま作業を続けられます。再び発生した場合は、詳細をコピーして qtmail の開発者に送ってください。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Problem details</source>
        <translation>問題の詳細</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+40"/>
        <source>Show &amp;details</source>
        <translation>詳細を表示(&amp;D)</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>&amp;Copy to clipboard</source>
        <translation>クリップボードにコピー(&amp;C)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Copied</source>
        <translation>コピーしました</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The problem happened {count} more times since this window opened.</source>
        <translation>このウィンドウを開いてから、この問題はさらに {count} 回発生しました。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hide &amp;details</source>
        <translation>詳細を隠す(&amp;D)</translation>
    </message>
</context>
<context>
    <name>QuotaWidget</name>
    <message>
        <location filename="../../qt/widgets/quota.py" line="+62"/>
        <source>The server does not say how much storage your mail may use.</source>
        <translation>メールに使える容量をサーバーが通知していません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{used} used</source>
        <translation>{used} 使用中</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{used} of {limit} used</source>
        <translation>{limit} 中 {used} 使用中</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your server storage is full. New mail may be refused until you delete or archive some messages and empty the trash.</source>
        <translation>サーバーの容量がいっぱいです。メッセージを削除またはアーカイブしてごみ箱を空にするまで、新しいメールを受け取れない場合があります。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your server storage is almost full ({percent} used). Delete or archive old messages soon, or new mail may be refused.</source>
        <translation>サーバーの容量がもうすぐいっぱいです ({percent} 使用中)。早めに古いメッセージを削除またはアーカイブしないと、新しいメールを受け取れなくなる場合があります。</translation>
    </message>
</context>
<context>
    <name>Quote</name>
    <message>
        <location filename="../../qt/composer/quote_words.py" line="+22"/>
        <source>%1 wrote:</source>
        <comment>a reply&apos;s first line; %1: the sender</comment>
        <translation>%1 さんが書きました:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On %1, %2 wrote:</source>
        <comment>a reply&apos;s first line; %1: the date, %2: the sender</comment>
        <translation>%1、%2 さんが書きました:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown sender</source>
        <translation>差出人不明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>-------- Forwarded Message --------</source>
        <translation>-------- 転送メッセージ --------</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject: %1</source>
        <translation>件名: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date: %1</source>
        <translation>日付: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From: %1</source>
        <translation>差出人: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To: %1</source>
        <translation>宛先: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cc: %1</source>
        <translation>Cc: %1</translation>
    </message>
</context>
<context>
    <name>ReadingController</name>
    <message>
        <location filename="../../qt/controllers/reading.py" line="+86"/>
        <source>This message has not been downloaded yet; it will be when the server can be reached.</source>
        <translation>このメッセージはまだダウンロードされていません。サーバーに接続できたときにダウンロードされます。</translation>
    </message>
</context>
<context>
    <name>RecipientEdit</name>
    <message>
        <location filename="../../qt/composer/recipients.py" line="+143"/>
        <source>Not a valid email address: %1</source>
        <translation>正しいメールアドレスではありません: %1</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <location filename="../../qt/widgets/rules/rule_editor.py" line="+42"/>
        <source>all of the conditions</source>
        <translation>すべての条件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>any of the conditions</source>
        <translation>いずれかの条件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rule name:</source>
        <translation>ルール名:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Applies when the message matches:</source>
        <translation>メッセージが次に一致したら適用:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conditions (none: every message)</source>
        <translation>条件（なし: すべてのメッセージ）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add condition</source>
        <translation>条件を追加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actions</source>
        <translation>動作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add action</source>
        <translation>動作を追加</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <location filename="../../qt/widgets/rules/rules_dialog.py" line="+68"/>
        <source>Rules — {account}</source>
        <translation>ルール — {account}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Rules, in the order the server runs them</source>
        <translation>ルール（サーバーが適用する順）</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+288"/>
        <source>New rule</source>
        <translation>新しいルール</translation>
    </message>
    <message>
        <location line="-286"/>
        <source>Delete rule</source>
        <translation>ルールを削除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Apply the saved rules to a folder now…</source>
        <translation>保存済みのルールを今すぐフォルダーに適用…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server runs its rules on the mail already in the folder you choose.</source>
        <translation>選んだフォルダーにあるメールに、サーバーがルールを適用します。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+108"/>
        <source>Check with the server</source>
        <translation>サーバーで検査</translation>
    </message>
    <message>
        <location line="-105"/>
        <source>Rules</source>
        <translation>ルール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vacation</source>
        <translation>不在通知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Script</source>
        <translation>スクリプト</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+50"/>
        <source>Loading the rules from the server…</source>
        <translation>サーバーからルールを読み込んでいます…</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Reload</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Saving…</source>
        <translation>保存しています…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Applying the rules to “{folder}”…</source>
        <translation>「{folder}」にルールを適用しています…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking…</source>
        <translation>検査しています…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{count} rules on this device.</source>
        <translation>このデバイスのルール: {count} 件。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} rules on the server.</source>
        <translation>サーバー上のルール: {count} 件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the rules</source>
        <translation>ルールを確認</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved. qtmail applies these rules to new mail in the Inbox while it is open.</source>
        <translation>保存しました。qtmail を開いている間、受信トレイの新着メールにこれらのルールを適用します。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved. The server applies these rules to new mail.</source>
        <translation>保存しました。サーバーが新着メールにこのルールを適用します。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Rules applied to “{folder}”: %n message(s) filed elsewhere.</source>
        <translation>
            <numerusform>「{folder}」にルールを適用しました: %n 件のメッセージを別の場所に振り分けました。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>The server found no error.</source>
        <translation>サーバーは誤りを見つけませんでした。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>qtmail cannot read this script; edit it in the Script tab.</source>
        <translation>qtmail はこのスクリプトを読めません。「スクリプト」タブで編集してください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This script already has an automatic reply written by another program, which qtmail cannot show here. Change it in the Script tab.</source>
        <translation>このスクリプトには別のプログラムが書いた自動返信が既にあり、qtmail はここに表示できません。「スクリプト」タブで変更してください。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Kept as written: {code}</source>
        <translation>記述どおり保持: {code}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(no name)</source>
        <translation>（名前なし）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tick to enable, untick to disable this rule.</source>
        <translation>チェックでこのルールを有効、外すと無効にします。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This is the automatic reply; edit its text on the Vacation page.</source>
        <translation>これは自動返信です。文面は「不在通知」ページで編集してください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>qtmail cannot edit this part of the script. It stays exactly as it is, in its place; you can change it in the Script tab.</source>
        <translation>qtmail はスクリプトのこの部分を編集できません。この位置にそのまま残ります。「スクリプト」タブで変更できます。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Changes not saved yet.</source>
        <translation>変更はまだ保存していません。</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Choose a folder</source>
        <translation>フォルダーを選択</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>qtmail cannot read the script as written; save it to let the server check it, or correct it in the Script tab.</source>
        <translation>qtmail はこの記述のスクリプトを読めません。保存してサーバーに検査させるか、「スクリプト」タブで修正してください。</translation>
    </message>
</context>
<context>
    <name>RulesText</name>
    <message>
        <location filename="../../qt/widgets/rules/describe.py" line="+17"/>
        <source>From</source>
        <translation>差出人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To or Cc</source>
        <translation>宛先または Cc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List-Id</source>
        <translation>List-Id</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Header</source>
        <translation>ヘッダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body</source>
        <translation>本文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size over</source>
        <translation>サイズが次より大きい</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size under</source>
        <translation>サイズが次より小さい</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>contains</source>
        <translation>を含む</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is</source>
        <translation>が次と一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>matches</source>
        <translation>がパターンに一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>matches regex</source>
        <translation>が正規表現に一致</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>size over {size}</source>
        <translation>サイズが {size} バイトより大きい</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>size under {size}</source>
        <translation>サイズが {size} バイトより小さい</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>from {date}</source>
        <translation>{date} から</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>until {date}</source>
        <translation>{date} まで</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+38"/>
        <source>every message</source>
        <translation>すべてのメッセージ</translation>
    </message>
    <message>
        <location line="-36"/>
        <location line="+33"/>
        <source> or </source>
        <translation> または </translation>
    </message>
    <message>
        <location line="-32"/>
        <source>{field} {comparison} {values}</source>
        <translation>{field} {comparison} {values}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not: {condition}</source>
        <translation>次に当てはまらない: {condition}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>copy to {folder}</source>
        <translation>{folder} にコピー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>move to {folder}</source>
        <translation>{folder} に移動</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>forward a copy to {address}</source>
        <translation>{address} にコピーを転送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>redirect to {address}</source>
        <translation>{address} へ転送</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>mark read</source>
        <translation>既読にする</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>flag</source>
        <translation>フラグを付ける</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add keyword {keyword}</source>
        <translation>キーワード {keyword} を付ける</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>automatic reply</source>
        <translation>自動返信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stop here</source>
        <translation>ここで終了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keep in Inbox</source>
        <translation>受信トレイに残す</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> and </source>
        <translation> かつ </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>If {conditions}: {actions}</source>
        <translation>{conditions} なら: {actions}</translation>
    </message>
</context>
<context>
    <name>SafeBrowser</name>
    <message>
        <location filename="../../qt/safe_browser.py" line="+181"/>
        <source>Goes to: %1</source>
        <translation>リンク先: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open Link…</source>
        <translation>リンクを開く(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy &amp;Link</source>
        <translation>リンクをコピー(&amp;L)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Save &amp;Image As…</source>
        <translation>画像を名前を付けて保存(&amp;I)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy I&amp;mage</source>
        <translation>画像をコピー(&amp;M)</translation>
    </message>
</context>
<context>
    <name>ScriptView</name>
    <message>
        <location filename="../../qt/widgets/rules/script_view.py" line="+26"/>
        <source>Sieve script</source>
        <translation>Sieve スクリプト</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Problems the server found</source>
        <translation>サーバーが見つけた問題</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The script exactly as the server keeps it. Changes here replace the rules when you save.</source>
        <translation>サーバーが保持しているそのままのスクリプトです。ここでの変更は保存するとルールを置き換えます。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Line {line}: {problem}</source>
        <translation>{line} 行目: {problem}</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <location filename="../../qt/widgets/search_bar.py" line="+54"/>
        <location line="+1"/>
        <source>Search mail</source>
        <translation>メールを検索</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type words to find, or for example from:anna, subject:report, is:unread, has:attachment, after:2025-01-31. Press Escape to go back to the folder.</source>
        <translation>探す語句を入力してください。from:anna、subject:report、is:unread、has:attachment、after:2025-01-31 のような指定もできます。Esc キーでフォルダーに戻ります。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Where to search</source>
        <translation>検索する場所</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose where the search looks for messages</source>
        <translation>メッセージを検索する場所を選びます</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This folder</source>
        <translation>このフォルダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subfolders too</source>
        <translation>サブフォルダーも</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This folder and subfolders</source>
        <translation>このフォルダーとサブフォルダー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This account</source>
        <translation>このアカウント</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All accounts</source>
        <translation>すべてのアカウント</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this search</source>
        <translation>この検索を保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this search in the folder list, to run it again with one click</source>
        <translation>この検索をフォルダー一覧に残し、ワンクリックで再実行できるようにします</translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message>
        <location filename="../../qt/controllers/search.py" line="+101"/>
        <location line="+237"/>
        <source>Delete Saved Search</source>
        <translation>保存した検索を削除</translation>
    </message>
    <message>
        <location line="-195"/>
        <source>Type another letter, or press Enter to search</source>
        <translation>もう 1 文字入力するか、Enter キーを押して検索してください</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>The newest %1 messages found are listed</source>
        <translation>見つかったメッセージのうち新しい %1 件を表示しています</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n message(s) found</source>
        <translation>
            <numerusform>%n 件見つかりました</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Searching the server…</source>
        <translation>サーバーを検索しています…</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n more from the server</source>
        <translation>
            <numerusform>サーバーでさらに %n 件見つかりました</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No more results on the server</source>
        <translation>サーバーにはほかの結果はありません</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1. %2</source>
        <translation>%1。%2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Save Search</source>
        <translation>検索を保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name of the saved search:</source>
        <translation>保存する検索の名前:</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Delete the saved search “%1”? No message is deleted.</source>
        <translation>保存した検索「%1」を削除しますか？メッセージは削除されません。</translation>
    </message>
</context>
<context>
    <name>SendNotice</name>
    <message>
        <location filename="../../qt/composer/send_notice.py" line="+41"/>
        <source>Sending</source>
        <translation>送信</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Undo</source>
        <translation>取り消す</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not send the message, and reopen it</source>
        <translation>メッセージを送信せずに、もう一度開きます</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try sending the message again</source>
        <translation>メッセージの送信をもう一度試みます</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send Again</source>
        <translation>もう一度送信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the message again, even if it may already have arrived</source>
        <translation>すでに届いている可能性があっても、メッセージをもう一度送信します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the message from the Outbox without sending it again</source>
        <translation>もう一度送信せずに、メッセージを送信トレイから削除します</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Sending in %1 s.</source>
        <translation>%1 秒後に送信します。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Taking the message back…</source>
        <translation>メッセージを取り消しています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+83"/>
        <source>Sending the message…</source>
        <translation>メッセージを送信しています…</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Not sent: the message is open again.</source>
        <translation>送信しませんでした。メッセージをもう一度開きました。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Message “%1” sent.</source>
        <translation>メッセージ「%1」を送信しました。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message sent.</source>
        <translation>メッセージを送信しました。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 The message may have been sent. Send it again?</source>
        <translation>%1 メッセージは送信済みの可能性があります。もう一度送信しますか?</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The message was removed from the Outbox.</source>
        <translation>メッセージを送信トレイから削除しました。</translation>
    </message>
</context>
<context>
    <name>ServerBox</name>
    <message>
        <location filename="../../qt/widgets/server_box.py" line="+40"/>
        <source>For example: {host}</source>
        <translation>例: {host}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Encrypted (SSL/TLS, recommended)</source>
        <translation>暗号化 (SSL/TLS、推奨)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encrypted after connecting (STARTTLS)</source>
        <translation>接続後に暗号化 (STARTTLS)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No encryption (not safe)</source>
        <translation>暗号化なし (安全ではありません)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Server:</source>
        <translation>サーバー(&amp;S):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P&amp;ort:</source>
        <translation>ポート(&amp;O):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;ecurity:</source>
        <translation>セキュリティ(&amp;E):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{box}: server</source>
        <translation>{box}: サーバー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{box}: port</source>
        <translation>{box}: ポート</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{box}: security</source>
        <translation>{box}: セキュリティ</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Please enter the server name for {what}.</source>
        <translation>{what} のサーバー名を入力してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{host}” is not a valid server name.</source>
        <translation>「{host}」は有効なサーバー名ではありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>ポートには 1 から 65535 までの数値を指定してください。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../qt/widgets/settings_dialog.py" line="+50"/>
        <source>Settings for {account}</source>
        <translation>{account} の設定</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Download messages for reading &amp;offline</source>
        <translation>オフラインで読めるようにメッセージをダウンロード(&amp;O)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keeping mail in sync</source>
        <translation>メールの同期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keep at most this much mail on this &amp;computer:</source>
        <translation>このコンピューターに保存するメールの上限(&amp;C):</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Use &amp;different settings for this folder</source>
        <translation>このフォルダーには別の設定を使う(&amp;D)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folders</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Folder:</source>
        <translation>フォルダー(&amp;F):</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Block it (recommended)</source>
        <translation>ブロックする (推奨)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load it for senders you have allowed</source>
        <translation>許可した差出人の場合は読み込む</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show a &amp;notification when new mail arrives</source>
        <translation>新着メールが届いたら通知を表示(&amp;N)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Group messages into &amp;conversations</source>
        <translation>メッセージを会話ごとにまとめる(&amp;C)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>As soon as they are shown</source>
        <translation>表示したらすぐに</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After they are shown for</source>
        <translation>表示してから次の時間が経ったら</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Never (only by hand)</source>
        <translation>しない(手動でのみ)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seconds before a message is marked read</source>
        <translation>メッセージを既読にするまでの秒数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading</source>
        <translation>閲覧</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Remote images and content:</source>
        <translation>リモートの画像とコンテンツ(&amp;R):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark messages as &amp;read (all accounts):</source>
        <translation>メッセージを既読にする(全アカウント)(&amp;R):</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Signature</source>
        <translation>署名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seconds to undo sending</source>
        <translation>送信を取り消せる秒数</translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+27"/>
        <source> seconds</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send at once</source>
        <translation>すぐに送信</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Writing</source>
        <translation>メッセージの作成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Si&amp;gnature:</source>
        <translation>署名(&amp;G):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo sending for:</source>
        <translation>送信の取り消し猶予(&amp;U):</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Storage on the server</source>
        <translation>サーバーの容量</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../qt/shortcuts.py" line="+38"/>
        <source>Keyboard Shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Command</source>
        <translation>コマンド</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
</context>
<context>
    <name>SieveRow</name>
    <message>
        <location filename="../../qt/widgets/rules/sieve_row.py" line="+15"/>
        <source>Filter rules on the server (ManageSieve)</source>
        <translation>サーバー上のフィルタールール（ManageSieve）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Same as incoming mail</source>
        <translation>受信メールと同じ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter rules server</source>
        <translation>フィルタールールのサーバー</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Filter rules port</source>
        <translation>フィルタールールのポート</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server:</source>
        <translation>サーバー:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port:</source>
        <translation>ポート:</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../../qt/sign_in.py" line="+53"/>
        <source>You are signed in</source>
        <translation>サインインしました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You can close this page and go back to qtmail.</source>
        <translation>このページを閉じて qtmail に戻ってください。</translation>
    </message>
</context>
<context>
    <name>SignInAgain</name>
    <message>
        <location filename="../../qt/controllers/sign_in_again.py" line="+53"/>
        <source>Sign in again</source>
        <translation>もう一度サインイン</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your mail stays on the server, and changes you make meanwhile wait in qtmail. Sign in on the provider&apos;s page to go on.</source>
        <translation>メールはサーバーに残っています。その間の変更は qtmail で待機しています。続けるにはプロバイダーのページでサインインしてください。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Sign In…</source>
        <translation>サインイン(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Not Now</source>
        <translation>後で(&amp;N)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>qtmail needs a client ID to sign in with this provider. Enter it in the account&apos;s settings.</source>
        <translation>このプロバイダーでサインインするにはクライアントＩＤが必要です。アカウントの設定で入力してください。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The sign-in could not be saved in the system keyring, so qtmail keeps it only until it closes.</source>
        <translation>サインイン情報をシステムのキーリングに保存できなかったため、qtmail を閉じるまでの間だけ保持します。</translation>
    </message>
</context>
<context>
    <name>SourceWindow</name>
    <message>
        <location filename="../../qt/controllers/message_windows.py" line="-148"/>
        <source>Message Source – qtmail</source>
        <translation>メッセージのソース – qtmail</translation>
    </message>
</context>
<context>
    <name>ThreadListView</name>
    <message>
        <location filename="../../qt/widgets/message_lists.py" line="-128"/>
        <source>Conversations</source>
        <translation>会話</translation>
    </message>
</context>
<context>
    <name>UndoLabels</name>
    <message>
        <location filename="../../qt/controllers/undo_labels.py" line="+67"/>
        <source>&amp;Undo {change}</source>
        <translation>元に戻す: {change}(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo {change}</source>
        <translation>やり直す: {change}(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
</context>
<context>
    <name>UndoNotice</name>
    <message>
        <location filename="../../qt/controllers/drops.py" line="-104"/>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo the last move</source>
        <translation>最後の移動を元に戻します</translation>
    </message>
</context>
<context>
    <name>UnsubscribeController</name>
    <message>
        <location filename="../../qt/controllers/unsubscribe.py" line="+49"/>
        <location line="+19"/>
        <source>Unsubscribe</source>
        <translation>登録解除</translation>
    </message>
    <message numerus="yes">
        <location line="-18"/>
        <source>Move the %n message(s) from %1 out of your folders?</source>
        <translation>
            <numerusform>%1 からの %n 件のメッセージをフォルダーから移動しますか?</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Move to &amp;Trash</source>
        <translation>ごみ箱へ移動(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Archive Them</source>
        <translation>アーカイブする(&amp;A)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Keep Them</source>
        <translation>そのまま残す(&amp;K)</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Unsubscribe from %1?</source>
        <translation>%1 の登録を解除しますか?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>qtmail tells the list&apos;s server at once, as the list offers; no page opens and nothing else is sent.</source>
        <translation>リストが用意している方法で qtmail がすぐにリストのサーバーに伝えます。ページは開かず、ほかには何も送りません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This list&apos;s unsubscribe address cannot be used.</source>
        <translation>このリストの登録解除先は使えません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send the prepared message to leave the list.</source>
        <translation>用意したメッセージを送信すると、リストから抜けられます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the page to unsubscribe from %1?</source>
        <translation>%1 の登録解除ページを開きますか?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The list&apos;s page opens in your web browser; follow it there to unsubscribe.</source>
        <translation>リストのページがウェブブラウザーで開きます。そこで手順に従って登録を解除してください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unsubscribing stopped because of a problem inside qtmail.</source>
        <translation>qtmail 内部の問題のため、登録解除が止まりました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You are unsubscribed from %1.</source>
        <translation>%1 の登録を解除しました。</translation>
    </message>
</context>
<context>
    <name>VacationPage</name>
    <message>
        <location filename="../../qt/widgets/rules/vacation_page.py" line="+33"/>
        <source>Send an automatic reply to messages I receive</source>
        <translation>受信したメッセージに自動返信する</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting on</source>
        <translation>開始日</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ending on</source>
        <translation>終了日</translation>
    </message>
    <message>
        <location line="+13"/>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server sends the reply, also while this computer is off. Each sender gets it at most once in the interval set above; mailing lists and automatic messages get none.</source>
        <translation>返信はサーバーが送ります（このコンピューターの電源が切れていても送られます）。同じ差出人には上で設定した間隔に 1 回までで、メーリングリストや自動送信のメッセージには返信しません。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Subject:</source>
        <translation>件名:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message:</source>
        <translation>本文:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply to the same sender again after:</source>
        <translation>同じ差出人に再び返信するまでの間隔:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My addresses (comma-separated):</source>
        <translation>自分のアドレス（カンマ区切り）:</translation>
    </message>
</context>
<context>
    <name>_AccountBox</name>
    <message>
        <location filename="../../qt/widgets/status_bar.py" line="-237"/>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry connecting to %1</source>
        <translation>%1 への接続を再試行</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Storage %1</source>
        <translation>容量 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 used on the server</source>
        <translation>サーバー上で %2 のうち %1 を使用中</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete or archive old messages soon, or new mail may be refused.</source>
        <translation>古いメッセージを早めに削除またはアーカイブしてください。新しいメールを受け取れなくなることがあります。</translation>
    </message>
</context>
<context>
    <name>unread_title</name>
    <message>
        <location filename="../../qt/notify.py" line="+35"/>
        <source>({count}) {title}</source>
        <translation>({count}) {title}</translation>
    </message>
</context>
</TS>

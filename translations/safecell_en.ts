<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AmbiguityDialog</name>
    <message>
        <location filename="../ui/AmbiguityDialog.ui" line="6"/>
        <source>Run this snippet?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AmbiguityDialog.ui" line="10"/>
        <source>The safety check could not clear this snippet. Read the reasons before you run it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AmbiguityDialog.ui" line="16"/>
        <source>Reasons, one per line of code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AmbiguityDialog.ui" line="17"/>
        <source>Press Enter or double-click to show the line in the editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AmbiguityDialog.ui" line="35"/>
        <source>&amp;Trust this snippet for this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/AmbiguityDialog.ui" line="36"/>
        <source>Runs this exact code again without asking until SafeCell quits. Only its hash is remembered; any change to the code asks again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../ui/FindBar.ui" line="13"/>
        <source>F&amp;ind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="19"/>
        <source>Text or regular expression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="25"/>
        <source>&amp;Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="26"/>
        <source>Find the previous match (Shift+F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="31"/>
        <source>&amp;Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="32"/>
        <source>Find the next match (F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="37"/>
        <source>&amp;Match case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="42"/>
        <source>&amp;Whole words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="47"/>
        <source>Re&amp;gex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="52"/>
        <source>×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="53"/>
        <source>Close (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="54"/>
        <source>Close the find bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="59"/>
        <source>R&amp;eplace:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="65"/>
        <source>Replacement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="70"/>
        <source>&amp;Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/FindBar.ui" line="75"/>
        <source>Replace &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="6"/>
        <source>Run history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="12"/>
        <source>&amp;Search:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="18"/>
        <source>Text in the code or the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="24"/>
        <source>&amp;Outcome:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="31"/>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="40"/>
        <source>Runs, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="58"/>
        <source>&amp;Open in a new tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="59"/>
        <source>The run&apos;s code in a new editor tab (or double-click the run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="64"/>
        <source>What was &amp;sent to Cohere…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="70"/>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/HistoryDialog.ui" line="75"/>
        <source>Export &amp;JSON…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LlmRequestView</name>
    <message>
        <location filename="../ui/LlmRequestView.ui" line="6"/>
        <source>What was sent to Cohere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/LlmRequestView.ui" line="16"/>
        <source>Request body sent to Cohere</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.ui" line="9"/>
        <source>SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="29"/>
        <source>Snippets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="35"/>
        <source>Output and results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="43"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="45"/>
        <source>&amp;Recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="58"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="69"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="82"/>
        <location filename="../ui/MainWindow.ui" line="104"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="93"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="105"/>
        <source>Run the snippet (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="106"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="111"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="112"/>
        <source>Stop the running snippet (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="113"/>
        <source>Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="117"/>
        <source>Restart s&amp;ession</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="118"/>
        <source>Restart the session: a fresh Python kernel, all variables cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="119"/>
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="123"/>
        <source>&amp;New snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="124"/>
        <source>Ctrl+N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="128"/>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="129"/>
        <source>Ctrl+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="133"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="134"/>
        <source>Ctrl+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="137"/>
        <source>Save &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="138"/>
        <source>Ctrl+Shift+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="141"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="142"/>
        <source>Ctrl+Q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="146"/>
        <source>S&amp;ettings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="147"/>
        <source>Ctrl+,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="151"/>
        <source>Spend &amp;dashboard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="152"/>
        <source>Ctrl+Shift+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="156"/>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="157"/>
        <source>Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="160"/>
        <source>&amp;Replace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="161"/>
        <source>Ctrl+H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="164"/>
        <source>Find &amp;next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="165"/>
        <source>F3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="168"/>
        <source>Find &amp;previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="169"/>
        <source>Shift+F3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="172"/>
        <source>Toggle &amp;comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="173"/>
        <source>Comment the selected lines out, or back in (Ctrl+/)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="174"/>
        <source>Ctrl+/</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="177"/>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="178"/>
        <source>Ctrl++</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="181"/>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="182"/>
        <source>Ctrl+-</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="185"/>
        <source>&amp;Actual size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="186"/>
        <source>Ctrl+0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="189"/>
        <source>New &amp;tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="190"/>
        <source>Another snippet in a new tab (Ctrl+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="191"/>
        <source>Ctrl+T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="194"/>
        <source>&amp;Close tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="195"/>
        <source>Ctrl+W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="198"/>
        <source>Ne&amp;xt tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="199"/>
        <source>Ctrl+PgDown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="202"/>
        <source>Pre&amp;vious tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="203"/>
        <source>Ctrl+PgUp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="206"/>
        <source>Run &amp;history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="207"/>
        <source>Every run: filter, reopen in a tab, export (Ctrl+Shift+H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="208"/>
        <source>Ctrl+Shift+H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="212"/>
        <source>What was sent to &amp;Cohere…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="213"/>
        <source>Exactly what the last run or Ask sent to Cohere</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="6"/>
        <source>SafeCell settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="11"/>
        <source>&amp;Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="15"/>
        <source>Cohere API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="20"/>
        <location filename="../ui/SettingsDialog.ui" line="38"/>
        <source>Stored in the keychain; type to replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="20"/>
        <source>&amp;Test key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="24"/>
        <source>Key status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="33"/>
        <source>E2B API ke&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="42"/>
        <source>Cohere base &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="60"/>
        <source>E2B san&amp;dbox URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="65"/>
        <source>Empty: https://&lt;port&gt;-&lt;sandbox&gt;.&lt;domain&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="65"/>
        <source>Sends all sandbox traffic to this address (a proxy); leave empty for the direct sandbox hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="69"/>
        <source>&amp;E2B domain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="83"/>
        <source>Or&amp;g monthly limit (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="47"/>
        <source>https://api.cohere.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="20"/>
        <source>Remo&amp;ve Cohere key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="20"/>
        <source>Remove the stored Cohere key from the keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="38"/>
        <source>&amp;Check E2B key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="38"/>
        <source>&amp;Remove E2B key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="38"/>
        <source>Remove the stored E2B key from the keychain: code then runs in the local sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="51"/>
        <source>E2B &amp;API URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="56"/>
        <source>Empty: https://api.&lt;domain&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="74"/>
        <source>e2b.app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="79"/>
        <source>&amp;Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="88"/>
        <source>5.00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="88"/>
        <source>Everything SafeCell spends in a period, all users together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="92"/>
        <source>&amp;User monthly limit (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="97"/>
        <location filename="../ui/SettingsDialog.ui" line="106"/>
        <location filename="../ui/SettingsDialog.ui" line="115"/>
        <source>Empty: no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="97"/>
        <source>What this user may spend in a period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="101"/>
        <source>S&amp;ession limit (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="106"/>
        <source>What one session may spend over its whole life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="110"/>
        <source>&amp;Task limit (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="115"/>
        <source>What a single run may spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="119"/>
        <source>&amp;Warn at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="124"/>
        <location filename="../ui/SettingsDialog.ui" line="133"/>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="124"/>
        <source>Share of each limit at which the budget turns Warned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="128"/>
        <source>&amp;Degrade at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="133"/>
        <source>Share of each limit from which only the cheapest models are used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="137"/>
        <source>&amp;Period starts on day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="142"/>
        <source>The day of the month the org and user limits start over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="145"/>
        <source>A charge counts against every scope: the organisation, the user, the session and the run. Paid steps stop at 100 % of any limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="150"/>
        <source>&amp;Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="154"/>
        <source>Price &amp;table file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="159"/>
        <source>Empty: models.json in the config folder, if any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="159"/>
        <source>A JSON file in the shape of the built-in models.json; its models and prices are merged over the built-in ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="159"/>
        <location filename="../ui/SettingsDialog.ui" line="331"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="163"/>
        <source>C&amp;lassify with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="168"/>
        <source>The model the safety check asks first; empty: the built-in choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="172"/>
        <source>&amp;Generate with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="177"/>
        <source>The model the Ask box asks first; empty: the built-in choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="181"/>
        <source>E&amp;xplain with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="186"/>
        <source>The model that explains code first; empty: the built-in choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="189"/>
        <source>The chosen model is tried first; the built-in ones follow if it fails. When the budget is degraded the cheapest capable model is used whatever is chosen here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="194"/>
        <source>Sa&amp;ndbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="198"/>
        <source>Memor&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="207"/>
        <source>CP&amp;U time per run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="225"/>
        <source>Open f&amp;iles:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="234"/>
        <source>File si&amp;ze:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="243"/>
        <source>Ou&amp;tput cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="252"/>
        <source>/t&amp;mp size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="257"/>
        <source>The sandbox&apos;s /tmp, in memory: it counts against the memory limit as it fills</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="261"/>
        <source>/de&amp;v/shm size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="266"/>
        <source>The sandbox&apos;s /dev/shm (shared memory, multiprocessing), in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="270"/>
        <source>/wor&amp;k size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="275"/>
        <source>The session&apos;s /work folder, in memory and kept until the session ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="279"/>
        <source>Time &amp;limit cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="288"/>
        <source>&amp;Data folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="293"/>
        <source>Empty: none (mounted read-only at /data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="293"/>
        <location filename="../ui/SettingsDialog.ui" line="302"/>
        <location filename="../ui/SettingsDialog.ui" line="311"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="293"/>
        <source>Browse for the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="297"/>
        <source>&amp;Workspace database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="302"/>
        <source>Empty: the bundled example database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="302"/>
        <source>Browse for the workspace database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="306"/>
        <source>Pyt&amp;hon:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="311"/>
        <source>/usr/bin/python3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="311"/>
        <source>Browse for the Python interpreter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="315"/>
        <source>Allow int&amp;ernet for this session (E2B only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="316"/>
        <source>Lets snippets on E2B reach the internet until SafeCell quits; never saved. Off, an E2B sandbox has no internet, like the local sandbox, which never has a network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="340"/>
        <source>The budget gauge follows new limits at once; runs and the Ask box use the new settings from their next request (a changed sandbox starts a fresh session).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="203"/>
        <location filename="../ui/SettingsDialog.ui" line="239"/>
        <location filename="../ui/SettingsDialog.ui" line="248"/>
        <location filename="../ui/SettingsDialog.ui" line="257"/>
        <location filename="../ui/SettingsDialog.ui" line="266"/>
        <location filename="../ui/SettingsDialog.ui" line="275"/>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="212"/>
        <location filename="../ui/SettingsDialog.ui" line="284"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="216"/>
        <source>&amp;Processes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="322"/>
        <source>Sa&amp;fety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="326"/>
        <source>&amp;Policy file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="331"/>
        <source>Empty: the built-in policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="346"/>
        <source>color: #b02020; font-weight: bold;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="347"/>
        <source>Why the settings were not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SpendDashboard</name>
    <message>
        <location filename="../ui/SpendDashboard.ui" line="6"/>
        <source>Spend dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SpendDashboard.ui" line="12"/>
        <source>&amp;Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SpendDashboard.ui" line="34"/>
        <source>Costliest runs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell</name>
    <message>
        <location filename="../src/gui/RunText.cpp" line="29"/>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="31"/>
        <source>Invalid request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="33"/>
        <source>Blocked by the safety check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="35"/>
        <source>Needs your confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="37"/>
        <source>Over budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="39"/>
        <source>Service unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="41"/>
        <source>The code raised an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="43"/>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="45"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="62"/>
        <source>no charge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="62"/>
        <source>no charge (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="63"/>
        <source>LLM: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="64"/>
        <source>LLM %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="65"/>
        <source>%1 (%2 + sandbox: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="72"/>
        <source>Stopped at the time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="74"/>
        <source>Stopped at %1 s: the budget is nearly spent, so paid runs are shortened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="75"/>
        <source>Stopped at the %1 s time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunText.cpp" line="81"/>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::AmbiguityDialog</name>
    <message>
        <location filename="../src/gui/AmbiguityDialog.cpp" line="26"/>
        <source>%1: %2</source>
        <comment>the reason, then what to do instead</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityDialog.cpp" line="27"/>
        <source>Line %1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityDialog.cpp" line="35"/>
        <source>Why: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityDialog.cpp" line="37"/>
        <source>Decided by: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityDialog.cpp" line="40"/>
        <source>&amp;Run anyway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::AskPanel</name>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="27"/>
        <source>&amp;Ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="28"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="29"/>
        <source>E&amp;xplain this error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="35"/>
        <location filename="../src/gui/AskPanel.cpp" line="227"/>
        <source>Describe an analysis; Cohere writes the code into the editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="36"/>
        <location filename="../src/gui/AskPanel.cpp" line="43"/>
        <source>Ask Cohere for code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="52"/>
        <source>Describe an analysis (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="158"/>
        <source>Asking Cohere…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="170"/>
        <source>Asking Cohere to explain the error…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="199"/>
        <source>%1 · %2 · %3 in, %4 out tokens. Review the code, then Run: it is safety-checked like typed code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="232"/>
        <source>Ask needs a Cohere key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AskPanel.cpp" line="235"/>
        <source>Ask writes code with Cohere&apos;s LLM, so it needs a Cohere key. &lt;a href=&quot;settings&quot;&gt;Add one in Settings&lt;/a&gt; (Ctrl+,).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::BudgetGauge</name>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="17"/>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="19"/>
        <source>Budget: …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="20"/>
        <source>Reading the spend ledger…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="42"/>
        <source>within budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="44"/>
        <source>warning threshold passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="46"/>
        <source>degraded: cheaper models only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="48"/>
        <source>stopped: the limit is reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="66"/>
        <source>%1 %2</source>
        <comment>a scope: its level, then its key</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="67"/>
        <location filename="../src/gui/BudgetGauge.cpp" line="79"/>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="69"/>
        <source>%1 held until %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="70"/>
        <source>%1 held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="71"/>
        <source>&lt;tr&gt;&lt;td&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%2 spent&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;td&gt;of %4&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="80"/>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="83"/>
        <source>  (+%1 held until %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="84"/>
        <source>  (+%1 held)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="86"/>
        <source>&lt;p&gt;&lt;b&gt;Budget this period&lt;/b&gt;: %1&lt;br/&gt;%2 – %3 (UTC)&lt;/p&gt;&lt;table cellspacing=6&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="93"/>
        <source>&lt;p&gt;Held money is set aside for paid steps in progress and is settled when they end. A hold left by a SafeCell that ended without settling (a crash) stops counting at its expiry.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="98"/>
        <source>%1, %2</source>
        <comment>the figures, then the state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="106"/>
        <source>Budget: unavailable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::BudgetMonitor</name>
    <message>
        <location filename="../src/gui/BudgetMonitor.cpp" line="33"/>
        <source>The spend ledger cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetMonitor.cpp" line="48"/>
        <source>The budget cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::DesktopNotifier</name>
    <message>
        <location filename="../src/gui/DesktopNotifier.cpp" line="15"/>
        <source>SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/DesktopNotifier.cpp" line="21"/>
        <source>%1: %2</source>
        <comment>a notification&apos;s title, then its message</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::EditorTab</name>
    <message>
        <location filename="../src/gui/EditorTab.cpp" line="21"/>
        <source>Code editor</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::EditorTabs</name>
    <message>
        <location filename="../src/gui/EditorTabs.cpp" line="70"/>
        <location filename="../src/gui/EditorTabs.cpp" line="90"/>
        <source>Untitled %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/EditorTabs.cpp" line="104"/>
        <location filename="../src/gui/EditorTabs.cpp" line="105"/>
        <source>Untitled </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/EditorTabs.cpp" line="88"/>
        <location filename="../src/gui/EditorTabs.cpp" line="187"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::FindBar</name>
    <message>
        <location filename="../src/gui/FindBar.cpp" line="91"/>
        <source>Not found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/FindBar.cpp" line="125"/>
        <source>%n replaced</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>safecell::FindingsPanel</name>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="18"/>
        <source>1 finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="18"/>
        <source>%1 findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="28"/>
        <source>Safety findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="50"/>
        <source>Safety check: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="53"/>
        <source>%1: %2</source>
        <comment>the reason, then what to do instead</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="55"/>
        <source>Line %1, column %2  %3  %4</source>
        <comment>line, column, the rule, what it found and what to do instead</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/FindingsPanel.cpp" line="62"/>
        <source>The code: %1
Enter or a click shows it in the editor.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::HistoryDialog</name>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="40"/>
        <location filename="../src/gui/HistoryDialog.cpp" line="43"/>
        <source>Any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="44"/>
        <source>Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="45"/>
        <source>SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="47"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="47"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="47"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="47"/>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="48"/>
        <source>Decided by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="48"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="48"/>
        <source>Sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="48"/>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="49"/>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="49"/>
        <source>Sent to E2B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="87"/>
        <location filename="../src/gui/HistoryDialog.cpp" line="99"/>
        <source>The history cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="115"/>
        <source>%1 · internet on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="122"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="128"/>
        <source>No run matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="128"/>
        <source>Runs: %1, newest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="165"/>
        <source>Run of %1 (safety classification, %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="167"/>
        <source>no model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="179"/>
        <source>Could not export to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="182"/>
        <source>Runs exported: %1, to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="190"/>
        <source>Export the runs as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="190"/>
        <source>Export the runs as JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="192"/>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HistoryDialog.cpp" line="192"/>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::ImageResultView</name>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="30"/>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="47"/>
        <source>−</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="47"/>
        <source>Zoom out (Ctrl+-)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="48"/>
        <source>+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="48"/>
        <source>Zoom in (Ctrl++)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="49"/>
        <source>100%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="49"/>
        <source>Actual size (Ctrl+0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="50"/>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="50"/>
        <source>Fit to the panel (Ctrl+9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="52"/>
        <source>Save the figure: PNG at full resolution, or SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="52"/>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="65"/>
        <source>%1 × %2 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="78"/>
        <source>This figure could not be decoded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="85"/>
        <source>%1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="138"/>
        <source>the run sent this figure as PNG only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="153"/>
        <source>PNG image, %1 × %2 px (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="154"/>
        <source>SVG drawing, any size (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="156"/>
        <source>Save the figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="156"/>
        <source>figure.png</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="166"/>
        <source>Save failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="166"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::LlmRequestView</name>
    <message>
        <location filename="../src/gui/LlmRequestView.cpp" line="28"/>
        <source>%1: nothing was sent to Cohere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/LlmRequestView.cpp" line="29"/>
        <source>No LLM call was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/LlmRequestView.cpp" line="31"/>
        <source>%1: the exact request body sent to Cohere (%2 bytes). The API key travels in a header and is never shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::MainWindow</name>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="83"/>
        <source>Last Ask (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="84"/>
        <source>Last error explanation (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="96"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="97"/>
        <source>The language of this tab&apos;s snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="98"/>
        <source>Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="99"/>
        <source>SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="105"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="108"/>
        <source>&amp;Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="108"/>
        <source>&amp;SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="140"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="216"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="218"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="221"/>
        <source>&amp;What can snippets do?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="228"/>
        <source>&amp;About SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="289"/>
        <source>Settings applied: a fresh session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="312"/>
        <source>Reading the keys from the keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="318"/>
        <source>Sandbox: local, %1 (E2B after a restart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="319"/>
        <source>Sandbox: local, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="320"/>
        <source>Code runs in the local sandbox (no E2B key in the keychain or E2B_API_KEY). %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="327"/>
        <source> · internet on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="328"/>
        <source>Code runs in an E2B cloud sandbox, a paid step checked against the budget.
%1

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="330"/>
        <source>Internet: ON for this session (Settings &gt; Sandbox); it ends when SafeCell quits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="331"/>
        <source>Internet: off, as in the local sandbox (Settings &gt; Sandbox allows it for one session).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="338"/>
        <source> · keychain unreadable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="339"/>
        <source>%1
Until then, runs use only the keys set in the environment: without an E2B key the local sandbox, without a Cohere key no LLM second opinion.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="217"/>
        <source>Not run: you cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="72"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="90"/>
        <source>Checking the request…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="93"/>
        <source>Checking the code&apos;s safety…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="97"/>
        <source>Checking the budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="155"/>
        <source>%1 (the toolbar&apos;s time limit; Ctrl+Shift+T to change it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="191"/>
        <location filename="../src/gui/MainWindowRuns.cpp" line="199"/>
        <source>Not run: you chose not to send data to E2B this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="196"/>
        <source>needed by this run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="114"/>
        <location filename="../src/gui/MainWindowRuns.cpp" line="248"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="145"/>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="148"/>
        <source>The code raised %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="148"/>
        <source>an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="158"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="131"/>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="100"/>
        <source>Running… (Esc stops it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowRuns.cpp" line="131"/>
        <source>Last run (safety classification by %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="55"/>
        <location filename="../src/gui/MainWindow.cpp" line="201"/>
        <source>%1 - SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="74"/>
        <source>The open tabs could not be saved to the data folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="224"/>
        <source>Restart the session?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="225"/>
        <source>A fresh session clears every variable, DataFrame and scratch table your runs made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="226"/>
        <source>Your snippets and their results stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="227"/>
        <source>&amp;Restart the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="228"/>
        <source>&amp;Keep the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="239"/>
        <source>Session restarted with the new settings: variables cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="251"/>
        <source>Start a fresh session for the new settings?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="253"/>
        <source>The new settings change where code runs. They need a fresh session, which clears the variables of this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="255"/>
        <source>The new sandbox settings need a fresh session, which clears the variables of this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="256"/>
        <source>Later: this session goes on as it is, and the new settings apply when you restart it (Run &gt; Restart session).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="258"/>
        <source>&amp;Restart now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="259"/>
        <source>&amp;Later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="264"/>
        <source>The new settings apply when you restart the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="245"/>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="246"/>
        <source>%1 of %2 spent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="249"/>
        <source>Budget warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="252"/>
        <source>Budget degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="252"/>
        <source>%1; cheaper models only from now on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="255"/>
        <source>Budget exhausted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="255"/>
        <source>%1; paid steps are stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="311"/>
        <source>Sandbox: …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="325"/>
        <source>Sandbox: E2B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindowSetup.cpp" line="325"/>
        <source>Sandbox: E2B (local after a restart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="240"/>
        <source>Session restarted: variables cleared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::PaneFocus</name>
    <message>
        <location filename="../src/gui/PaneFocus.cpp" line="13"/>
        <source>Next &amp;pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/PaneFocus.cpp" line="14"/>
        <source>Previous pan&amp;e</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/PaneFocus.cpp" line="18"/>
        <source>Move the keyboard to the next pane: editor, results, findings, Ask (F6)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::ResultsPanel</name>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="24"/>
        <location filename="../src/gui/ResultsPanel.cpp" line="37"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="24"/>
        <source>Table %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="29"/>
        <source>Figure %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="35"/>
        <source>Main result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::RunController</name>
    <message>
        <location filename="../src/gui/RunController.cpp" line="146"/>
        <source>Stopped before the run started</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::RunResultsView</name>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="27"/>
        <source>Output and results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="30"/>
        <location filename="../src/gui/RunResultsView.cpp" line="36"/>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="33"/>
        <source>Output appears here while the code runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="70"/>
        <source>Outcome: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="73"/>
        <source>Sandbox: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="75"/>
        <source>Model: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="76"/>
        <source>LLM cost: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="76"/>
        <source>Sandbox cost: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/RunResultsView.cpp" line="77"/>
        <source>Duration: %1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::ServiceHealth</name>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="57"/>
        <source>Cohere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="67"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="34"/>
        <source>, failures in a row: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="30"/>
        <source>paused after repeated failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="31"/>
        <location filename="../src/gui/ServiceHealth.cpp" line="79"/>
        <location filename="../src/gui/ServiceHealth.cpp" line="101"/>
        <source>trying again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="32"/>
        <location filename="../src/gui/ServiceHealth.cpp" line="81"/>
        <location filename="../src/gui/ServiceHealth.cpp" line="103"/>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="36"/>
        <source>, tried again in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="71"/>
        <source>no key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="72"/>
        <source>No Cohere key: Ask is off, and code the local rules are unsure of asks for your confirmation. Add a key in Settings (Ctrl+,).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="75"/>
        <location filename="../src/gui/ServiceHealth.cpp" line="99"/>
        <source>unavailable until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="77"/>
        <source>ready (%1 of %2 models paused until %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="81"/>
        <source>…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="94"/>
        <source>E2B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="97"/>
        <source>not used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="106"/>
        <source>Sandboxes: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::ServiceHealthView</name>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="172"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="174"/>
        <source> (last error %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="180"/>
        <source>%1 service health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="182"/>
        <source>No error this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ServiceHealth.cpp" line="183"/>
        <source>Last error (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SessionRecovery</name>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="125"/>
        <source>Recovered after a crash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="126"/>
        <source>SafeCell did not close properly. The text of %1 it kept differs from the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="130"/>
        <source>The file: %1, saved %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="134"/>
        <source>The recovered text: %1, kept %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="137"/>
        <source>The recovered text: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="138"/>
        <source>Neither choice writes to the file: keeping the recovered text leaves it unsaved in its tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="140"/>
        <source>&amp;Keep the recovered text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SessionRecovery.cpp" line="142"/>
        <source>&amp;Reopen the file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SettingsDialog</name>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="56"/>
        <source>Safety policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="56"/>
        <source>Policy files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="59"/>
        <source>Model price table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="59"/>
        <source>Price tables (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="62"/>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="65"/>
        <source>Workspace database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="65"/>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="68"/>
        <source>Python interpreter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="71"/>
        <source>Built-in choice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SettingsKeys</name>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="23"/>
        <source>%1: the keychain could not be read. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="25"/>
        <source>%1: none stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="27"/>
        <source>%1: from %2 (the environment wins over the keychain).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="29"/>
        <source>%1: stored in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="70"/>
        <source>Checking the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="87"/>
        <source>Removing the %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="90"/>
        <source>The %1 could not be removed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="107"/>
        <source>The %1 was not stored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="139"/>
        <source>Testing the key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="147"/>
        <source>No key to test: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="173"/>
        <source>The Cohere key works: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="173"/>
        <source>The Cohere key test failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="190"/>
        <source>The E2B key works: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsKeys.cpp" line="190"/>
        <source>The E2B key test failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SnippetFile</name>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="41"/>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="42"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="46"/>
        <source>The editor is empty: saving would replace the %1 bytes in the file with nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="78"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="103"/>
        <source>The untitled snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="129"/>
        <source>Could not open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="152"/>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="201"/>
        <source>&amp;%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="228"/>
        <source>SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="233"/>
        <source>Open a snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="234"/>
        <source>Snippets (*.py *.sql);;Python (*.py);;SQL (*.sql);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="239"/>
        <source>Save the snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="240"/>
        <source>Python (*.py);;SQL (*.sql)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SpendDashboard</name>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="70"/>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="71"/>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="72"/>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="73"/>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="78"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="78"/>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="78"/>
        <source>Last charge (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="136"/>
        <source>The spend ledger cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="143"/>
        <source>Spent %1 (LLM %2, sandbox %3); monthly limit %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="148"/>
        <source>At this rate the limit is reached on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="149"/>
        <source>At this rate the limit is not reached this month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="161"/>
        <source>Spend so far against the monthly limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="163"/>
        <source>Spent (cumulative)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="172"/>
        <source>Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="185"/>
        <source>Forecast at the current burn rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="210"/>
        <source>Spend by model and by sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="211"/>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="218"/>
        <source>%1 (sandbox)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="225"/>
        <source>nothing spent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="238"/>
        <source>LLM versus sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="241"/>
        <source>LLM %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SpendDashboard.cpp" line="243"/>
        <source>Sandbox %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::TableModel</name>
    <message>
        <location filename="../src/gui/TableModel.cpp" line="81"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::TableResultView</name>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="51"/>
        <source>Result table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="59"/>
        <source>%1 of %2 rows, %3 columns (the first rows only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="60"/>
        <source>%1 rows, %2 columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="62"/>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="69"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="70"/>
        <source>Copy the selected cells (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="72"/>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="76"/>
        <source>E&amp;xport CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="160"/>
        <source>Export the table as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="161"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="166"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="166"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::TimeLimitControl</name>
    <message>
        <location filename="../src/gui/TimeLimitControl.cpp" line="16"/>
        <source>&amp;Time limit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TimeLimitControl.cpp" line="19"/>
        <source>Time limit </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TimeLimitControl.cpp" line="20"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TimeLimitControl.cpp" line="21"/>
        <source>Time limit per run, in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TimeLimitControl.cpp" line="31"/>
        <source>Set how long a run may take (Ctrl+Shift+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TimeLimitControl.cpp" line="45"/>
        <source>How long a run may take before it is stopped, at most %1 s (the cap in Settings)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::UploadConsent</name>
    <message>
        <location filename="../src/gui/UploadConsent.cpp" line="30"/>
        <source>Send data to E2B&apos;s cloud?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/UploadConsent.cpp" line="31"/>
        <source>This run needs local data in the E2B sandbox. These files will be uploaded to E2B&apos;s cloud:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/UploadConsent.cpp" line="33"/>
        <source>

Your answer holds until SafeCell quits. Without it, runs that need these files do not run on E2B (remove the E2B key in Settings to run them locally, where nothing leaves this computer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/UploadConsent.cpp" line="35"/>
        <source>&amp;Upload for this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/UploadConsent.cpp" line="36"/>
        <source>&amp;Do not upload</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::WelcomeTab</name>
    <message>
        <location filename="../src/gui/WelcomeTab.cpp" line="25"/>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/WelcomeTab.cpp" line="27"/>
        <source>Example query</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::help</name>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="41"/>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="88"/>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="90"/>
        <source>Editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="90"/>
        <source>Indent (the editor keeps Tab; F6 leaves it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="90"/>
        <source>Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="91"/>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="91"/>
        <source>Next or previous result tab, when the results have the focus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="92"/>
        <source>Ctrl+PgDown / Ctrl+PgUp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="93"/>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="93"/>
        <source>Zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="93"/>
        <source>Ctrl+wheel, Ctrl++, Ctrl+-, Ctrl+0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="94"/>
        <source>Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="94"/>
        <source>Copy the selected cells</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="94"/>
        <source>Ctrl+C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="95"/>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="95"/>
        <source>Show a finding&apos;s line in the editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="95"/>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="99"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="99"/>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="99"/>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="111"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="116"/>
        <source>Where E2B differs from the local sandbox: its memory and CPUs are its template&apos;s (Settings&apos; memory, CPU-time and process limits apply to the local sandbox only); its whole file system is writable and lasts as long as the sandbox; your data folder is not there; SQL runs on an uploaded copy of the workspace database, after you agree to send it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="127"/>
        <source>No data folder is set. Choose one in Settings &gt; Sandbox to read your files at &lt;code&gt;/data&lt;/code&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="128"/>
        <source>Your data folder &lt;code&gt;%1&lt;/code&gt; is at &lt;code&gt;/data&lt;/code&gt;, read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="130"/>
        <source>the bundled example database (a small shop&apos;s sales)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="131"/>
        <source>&lt;code&gt;%1&lt;/code&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="133"/>
        <source>&lt;h3&gt;Where code runs&lt;/h3&gt;&lt;p&gt;Every snippet runs in a sandbox, never on your machine directly: on this computer in a bubblewrap sandbox, or in E2B&apos;s cloud sandbox once an E2B key is set. Before anything runs, SafeCell checks the code; risky code is blocked or asks you first.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="136"/>
        <source>&lt;h3&gt;Network&lt;/h3&gt;&lt;p&gt;None. Code cannot open connections or download anything. To use data from the web, save it into your data folder first.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="138"/>
        <source>&lt;h3&gt;Files&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;%1&lt;/li&gt;&lt;li&gt;Each session has its own writable folder, &lt;code&gt;/work&lt;/code&gt; (the current folder), for files a snippet writes; it goes when the session restarts.&lt;/li&gt;&lt;li&gt;&lt;code&gt;/tmp&lt;/code&gt; is private and small. The rest of the system is read-only, and your home folder is not there at all.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="143"/>
        <source>&lt;h3&gt;SQL&lt;/h3&gt;&lt;p&gt;SQL runs against %1, read-only. Statements that write go, after you confirm, to a scratch database of the session&apos;s own.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="146"/>
        <source>&lt;h3&gt;Limits&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Time: %1 s per run (the toolbar; at most %2 s, the cap in Settings). A run that takes longer is stopped, and its session&apos;s variables are kept.&lt;/li&gt;&lt;li&gt;Memory: %3 MB. CPU time: %4 s per run. Processes: %5. A written file: at most %6 MB.&lt;/li&gt;&lt;li&gt;Output: the first %7 MB of text per run.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="157"/>
        <source>&lt;h3&gt;On E2B&lt;/h3&gt;&lt;p&gt;With an E2B key, code runs in E2B&apos;s cloud under the same rules wherever E2B allows it:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Network: none, unless you allow the internet for the session (Settings &amp;gt; Sandbox); the status bar then says &quot;internet on&quot;. %1&lt;/li&gt;&lt;li&gt;Time and output: the same limits per run.&lt;/li&gt;&lt;li&gt;Data: before the first run that needs local data (the workspace database for SQL), SafeCell lists the files and asks once per session whether they may go to E2B&apos;s cloud. Your data folder is never uploaded, so &lt;code&gt;/data&lt;/code&gt; is not there.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Where E2B cannot follow them: memory and CPUs are its template&apos;s, not the limits above, and there is no process limit; the sandbox&apos;s whole file system is writable, for as long as the sandbox lives.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="168"/>
        <source>&lt;b&gt;This session allows it.&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="168"/>
        <source>This session does not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="169"/>
        <source>&lt;h3&gt;Sessions&lt;/h3&gt;&lt;p&gt;Variables live on between runs, like a notebook&apos;s, until you restart the session (Run &gt; Restart session). Python and SQL tabs share the session.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="179"/>
        <source>What can snippets do?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="184"/>
        <source>About SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/HelpDialogs.cpp" line="185"/>
        <source>&lt;h3&gt;SafeCell %1&lt;/h3&gt;&lt;p&gt;A workbench for analysts: write a Python or SQL snippet, press Run, and see its output, charts and tables. Code is checked before it runs, runs in a sandbox, and paid steps stay within your budget.&lt;/p&gt;&lt;p&gt;Qt %2.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

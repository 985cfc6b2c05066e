<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
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
    <name>MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.ui" line="9"/>
        <source>SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="29"/>
        <source>Code editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="35"/>
        <source>Output and results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="38"/>
        <location filename="../ui/MainWindow.ui" line="46"/>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="49"/>
        <source>Output appears here while the code runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="61"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="63"/>
        <source>&amp;Recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="74"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="85"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="93"/>
        <location filename="../ui/MainWindow.ui" line="114"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="104"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="115"/>
        <source>Run the snippet (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="116"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="120"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="121"/>
        <source>Stop the running snippet (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="122"/>
        <source>Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="125"/>
        <source>Restart &amp;session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="126"/>
        <source>Restart the session: a fresh Python kernel, all variables cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="129"/>
        <source>&amp;New snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="130"/>
        <source>Ctrl+N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="133"/>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="134"/>
        <source>Ctrl+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="137"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="138"/>
        <source>Ctrl+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="141"/>
        <source>Save &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="142"/>
        <source>Ctrl+Shift+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="145"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="146"/>
        <source>Ctrl+Q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="149"/>
        <source>S&amp;ettings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="150"/>
        <source>Ctrl+,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="153"/>
        <source>Spend &amp;dashboard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="154"/>
        <source>Ctrl+Shift+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="157"/>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="158"/>
        <source>Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="161"/>
        <source>&amp;Replace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="162"/>
        <source>Ctrl+H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="165"/>
        <source>Find &amp;next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="166"/>
        <source>F3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="169"/>
        <source>Find &amp;previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="170"/>
        <source>Shift+F3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="173"/>
        <source>Toggle &amp;comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="174"/>
        <source>Comment the selected lines out, or back in (Ctrl+/)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="175"/>
        <source>Ctrl+/</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="178"/>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="179"/>
        <source>Ctrl++</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="182"/>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="183"/>
        <source>Ctrl+-</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="186"/>
        <source>&amp;Actual size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="187"/>
        <source>Ctrl+0</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../src/gui/AmbiguityPrompt.cpp" line="14"/>
        <source>Run this snippet?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityPrompt.cpp" line="15"/>
        <source>The safety check could not clear this snippet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityPrompt.cpp" line="19"/>
        <source>Line %1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/AmbiguityPrompt.cpp" line="22"/>
        <source>Run anyway</source>
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
        <location filename="../ui/SettingsDialog.ui" line="21"/>
        <location filename="../ui/SettingsDialog.ui" line="41"/>
        <source>Stored in the keychain; type to replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="22"/>
        <source>&amp;Test key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="27"/>
        <source>Key status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="36"/>
        <source>E2B API ke&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="45"/>
        <source>Cohere &amp;base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="50"/>
        <source>https://api.cohere.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="54"/>
        <source>E2B &amp;API URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="59"/>
        <source>Empty: https://api.&lt;domain&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="63"/>
        <source>E2B &amp;domain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="68"/>
        <source>e2b.app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="73"/>
        <source>&amp;Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="77"/>
        <source>&amp;Monthly limit (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="82"/>
        <source>5.00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="86"/>
        <source>&amp;Warn at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="91"/>
        <location filename="../ui/SettingsDialog.ui" line="100"/>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="95"/>
        <source>&amp;Degrade at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="105"/>
        <source>Sa&amp;ndbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="109"/>
        <source>&amp;Memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="114"/>
        <location filename="../ui/SettingsDialog.ui" line="150"/>
        <location filename="../ui/SettingsDialog.ui" line="159"/>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="118"/>
        <source>&amp;CPU time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="123"/>
        <location filename="../ui/SettingsDialog.ui" line="168"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="127"/>
        <source>&amp;Processes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="136"/>
        <source>&amp;Open files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="145"/>
        <source>&amp;File size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="154"/>
        <source>O&amp;utput cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="163"/>
        <source>Time limit &amp;cap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="173"/>
        <source>Sa&amp;fety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="177"/>
        <source>&amp;Policy file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="183"/>
        <source>Empty: the built-in policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="184"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="194"/>
        <source>color: #b02020; font-weight: bold;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="195"/>
        <source>Why the settings were not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SnippetFile</name>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="20"/>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="21"/>
        <source>%1 has changes that are not saved. Save them?</source>
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
    <name>safecell::BudgetGauge</name>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="16"/>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="18"/>
        <source>Budget: …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="19"/>
        <source>Reading the spend ledger…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="41"/>
        <source>within budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="43"/>
        <source>warning threshold passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="45"/>
        <source>degraded: cheaper models only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="47"/>
        <source>stopped: the limit is reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="56"/>
        <location filename="../src/gui/BudgetGauge.cpp" line="65"/>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="57"/>
        <source>&lt;tr&gt;&lt;td&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/td&gt;&lt;td&gt;%2 spent&lt;/td&gt;&lt;td&gt;%3 held&lt;/td&gt;&lt;td&gt;of %4&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="66"/>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="68"/>
        <source>  (+%1 held)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="69"/>
        <source>&lt;p&gt;&lt;b&gt;Budget this period&lt;/b&gt;: %1&lt;br/&gt;%2 – %3 (UTC)&lt;/p&gt;&lt;table cellspacing=6&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetGauge.cpp" line="84"/>
        <source>Budget: unavailable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::BudgetMonitor</name>
    <message>
        <location filename="../src/gui/BudgetMonitor.cpp" line="23"/>
        <source>The spend ledger cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/BudgetMonitor.cpp" line="38"/>
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
        <location filename="../src/gui/FindingsPanel.cpp" line="21"/>
        <source>Safety findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/gui/FindingsPanel.cpp" line="43"/>
        <source>Safety check: %1 (%n finding(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
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
        <source>Fit to the panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="51"/>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="51"/>
        <source>Save the figure as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="61"/>
        <source>%1 × %2 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="74"/>
        <source>This figure could not be decoded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="81"/>
        <source>%1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="110"/>
        <source>Save the figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="110"/>
        <source>figure.png</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="110"/>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="117"/>
        <source>Save failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ImageResultView.cpp" line="117"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::MainWindow</name>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="64"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="65"/>
        <source>Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="66"/>
        <source>SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="72"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="177"/>
        <source>Not run: you cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="189"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="205"/>
        <source>Checking the request…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="208"/>
        <source>Checking the code&apos;s safety…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="212"/>
        <source>Checking the budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="215"/>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="228"/>
        <location filename="../src/gui/MainWindow.cpp" line="385"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="231"/>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="234"/>
        <source>The code raised %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="234"/>
        <source>an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="239"/>
        <source>Stopped at the time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="242"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="294"/>
        <location filename="../src/gui/MainWindow.cpp" line="297"/>
        <source>%1 - SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="322"/>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="323"/>
        <source>%1 of %2 spent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="326"/>
        <source>Budget warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="329"/>
        <source>Budget degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="329"/>
        <source>%1; cheaper models only from now on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="332"/>
        <source>Budget exhausted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="332"/>
        <source>%1; paid steps are stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/MainWindow.cpp" line="362"/>
        <source>Session restarted: variables cleared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::ResultsPanel</name>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="24"/>
        <location filename="../src/gui/ResultsPanel.cpp" line="35"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="24"/>
        <source>Table %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="27"/>
        <source>Figure %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/ResultsPanel.cpp" line="33"/>
        <source>Main result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SettingsDialog</name>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="46"/>
        <source>Safety policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="47"/>
        <source>Policy files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="77"/>
        <location filename="../src/gui/SettingsDialog.cpp" line="79"/>
        <source>Checking the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="82"/>
        <source>A Cohere key is stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="85"/>
        <source>No Cohere key is stored yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="93"/>
        <location filename="../src/gui/SettingsDialog.cpp" line="199"/>
        <source>Cohere base URL: enter a full http(s) address, such as https://api.cohere.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="96"/>
        <source>E2B API URL: enter a full http(s) address, or leave it empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="99"/>
        <source>E2B domain: a host name such as e2b.app, without http:// or a path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="101"/>
        <source>Monthly limit: a dollar amount such as 5 or 12.50, not negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="103"/>
        <source>Thresholds: the warning must come before the degrade threshold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="105"/>
        <source>Thresholds: each must lie between 1 % and 100 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="110"/>
        <source>Safety policy file: cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="113"/>
        <source>Safety policy file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="146"/>
        <source>Cohere base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="148"/>
        <source>E2B API URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="150"/>
        <source>E2B domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="152"/>
        <source>Monthly limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="154"/>
        <source>Thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="203"/>
        <source>Testing the key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="210"/>
        <source>No key to test: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="235"/>
        <source>The key works: Cohere answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="237"/>
        <source>The key test failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>safecell::SnippetFile</name>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="49"/>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="67"/>
        <source>The untitled snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="86"/>
        <source>Could not open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="109"/>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="153"/>
        <source>&amp;%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="181"/>
        <source>SafeCell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="186"/>
        <source>Open a snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="187"/>
        <source>Snippets (*.py *.sql);;Python (*.py);;SQL (*.sql);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="192"/>
        <source>Save the snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/SnippetFile.cpp" line="193"/>
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
        <location filename="../src/gui/TableModel.cpp" line="77"/>
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
        <location filename="../src/gui/TableResultView.cpp" line="150"/>
        <source>Export the table as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="151"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="156"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/gui/TableResultView.cpp" line="156"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

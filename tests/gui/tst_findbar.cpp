#include "gui/FindBar.h"

#include <Qsci/qsciscintilla.h>

#include <QLineEdit>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestFindBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findsForwardAndBackwardWithWrap()
    {
        QsciScintilla editor;
        editor.setText(u"total = 1\nTotal = 2\ntotal += Total\n"_s);
        FindBar bar(&editor);
        bar.setSearchText(u"total"_s);
        bar.setOptions(true, false, false);
        editor.setCursorPosition(0, 0);
        QVERIFY(bar.findNext());
        int line = -1, index = -1, lineTo = -1, indexTo = -1;
        editor.getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 0);
        QVERIFY(bar.findNext());
        editor.getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 2);       // "Total" on line 1 is skipped: case matters
        QVERIFY(bar.findNext()); // wraps to the top
        editor.getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 0);
        QVERIFY(bar.findPrevious()); // wraps to the bottom
        editor.getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 2);
        bar.setSearchText(u"absent"_s);
        QVERIFY(!bar.findNext());
        QVERIFY(bar.statusText().contains(u"absent"_s));
    }

    void replaceAllIsOneUndoStepAndTerminates()
    {
        QsciScintilla editor;
        editor.setText(u"a a a\na\n"_s);
        FindBar bar(&editor);
        bar.setSearchText(u"a"_s);
        bar.setReplacementText(u"aa"_s); // contains the search text: must not loop
        bar.setOptions(false, true, false);
        QCOMPARE(bar.replaceAll(), 4);
        QCOMPARE(editor.text(), u"aa aa aa\naa\n"_s);
        editor.undo();
        QCOMPARE(editor.text(), u"a a a\na\n"_s);
    }

    void regexReplaceAndReplaceCurrent()
    {
        QsciScintilla editor;
        editor.setText(u"x1 = 1\nx22 = 2\n"_s);
        FindBar bar(&editor);
        bar.setSearchText(u"x[0-9]+"_s);
        bar.setReplacementText(u"y"_s);
        bar.setOptions(true, false, true);
        editor.setCursorPosition(0, 0);
        QVERIFY(bar.findNext());
        QVERIFY(bar.replaceCurrent());
        QCOMPARE(editor.text(), u"y = 1\nx22 = 2\n"_s);
        QCOMPARE(editor.selectedText(), u"x22"_s); // moved on to the next match
    }

    void ctrlFOpensWithTheSelectionAndEscCloses()
    {
        QsciScintilla editor;
        editor.setText(u"alpha beta\n"_s);
        FindBar bar(&editor);
        editor.setSelection(0, 6, 0, 10);
        bar.openFind();
        QVERIFY(bar.isVisibleTo(nullptr) || !bar.isHidden());
        QCOMPARE(bar.findChild<QLineEdit *>(u"findEdit"_s)->text(), u"beta"_s);
        QVERIFY(bar.findChild<QLineEdit *>(u"replaceEdit"_s)->isHidden());
        bar.openReplace();
        QVERIFY(!bar.findChild<QLineEdit *>(u"replaceEdit"_s)->isHidden());
        QTest::keyClick(&bar, Qt::Key_Escape);
        QVERIFY(bar.isHidden());
    }
};

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"

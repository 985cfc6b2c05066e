#include "gui/EditorCommands.h"

#include <Qsci/qsciscintilla.h>

#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestEditorCommands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commentsAtTheSmallestIndentAndBack()
    {
        const QStringList code = {u"if x:"_s, u"    y = 1"_s, u""_s, u"    z = 2"_s};
        const QStringList out = toggleLineComments(code, u"# "_s);
        QCOMPARE(out, (QStringList{u"# if x:"_s, u"#     y = 1"_s, u""_s, u"#     z = 2"_s}));
        QCOMPARE(toggleLineComments(out, u"# "_s), code);
        const QStringList block = {u"    a = 1"_s, u"    b = 2"_s};
        QCOMPARE(toggleLineComments(block, u"# "_s), (QStringList{u"    # a = 1"_s, u"    # b = 2"_s}));
    }

    void mixedLinesGetCommentedAndBareMarkersUncomment()
    {
        QCOMPARE(toggleLineComments({u"#done"_s, u"todo"_s}, u"# "_s), (QStringList{u"# #done"_s, u"# todo"_s}));
        QCOMPARE(toggleLineComments({u"--x"_s, u"-- y"_s}, u"-- "_s), (QStringList{u"x"_s, u"y"_s}));
        QCOMPARE(toggleLineComments({u"  "_s}, u"# "_s), QStringList{u"  "_s});
        QCOMPARE(lineCommentPrefix(Language::Sql), u"-- "_s);
        QCOMPARE(lineCommentPrefix(Language::Python), u"# "_s);
    }

    void togglesTheSelectedLinesInTheEditorAsOneUndo()
    {
        QsciScintilla editor;
        editor.setText(u"a = 1\nb = 'é'\nc = 3\n"_s);
        editor.setSelection(0, 2, 1, 3);
        toggleCommentInEditor(&editor, Language::Python);
        QCOMPARE(editor.text(), u"# a = 1\n# b = 'é'\nc = 3\n"_s);
        toggleCommentInEditor(&editor, Language::Python);
        QCOMPARE(editor.text(), u"a = 1\nb = 'é'\nc = 3\n"_s);
        editor.setCursorPosition(2, 1);
        toggleCommentInEditor(&editor, Language::Sql);
        QCOMPARE(editor.text(), u"a = 1\nb = 'é'\n-- c = 3\n"_s);
        editor.undo();
        QCOMPARE(editor.text(), u"a = 1\nb = 'é'\nc = 3\n"_s);
    }
};

QTEST_MAIN(TestEditorCommands)
#include "tst_editorcommands.moc"

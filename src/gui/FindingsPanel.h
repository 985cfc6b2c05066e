#pragma once

#include "safety/Verdict.h"

#include <QWidget>

class QListWidget;
class QLabel;

namespace safecell {

// The safety findings of the last check, listed under the editor like a
// compiler's messages; activating one asks to jump to its line.
class FindingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FindingsPanel(QWidget *parent = nullptr);

    // Each finding with its rule's sentence and what to do instead.
    void setFindings(SafetyLabel label, const QList<Finding> &findings);
    QString title() const;
    // "1 finding", "3 findings".
    static QString findingCountText(int count);
    void clear();
    int count() const;
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void findingActivated(int line, int column); // 1-based

private:
    QLabel *m_title;
    QListWidget *m_list;
};

} // namespace safecell

#include "FindingsPanel.h"

#include "safety/RuleAdvice.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace safecell {

namespace {
constexpr int kLineRole = Qt::UserRole;
constexpr int kColumnRole = Qt::UserRole + 1;
} // namespace

QString FindingsPanel::findingCountText(int count)
{
    return count == 1 ? tr("1 finding") : tr("%1 findings").arg(count);
}

FindingsPanel::FindingsPanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("findingsPanel"));
    m_list->setObjectName(QStringLiteral("findingsList"));
    m_list->setAccessibleName(tr("Safety findings"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_list);
    auto jump = [this](QListWidgetItem *item) {
        if (item)
            Q_EMIT findingActivated(item->data(kLineRole).toInt(), item->data(kColumnRole).toInt());
    };
    connect(m_list, &QListWidget::itemClicked, this, jump);
    connect(m_list, &QListWidget::itemActivated, this, jump);
    hide();
}

void FindingsPanel::setFindings(SafetyLabel label, const QList<Finding> &findings)
{
    m_list->clear();
    if (findings.isEmpty()) {
        hide();
        return;
    }
    m_title->setText(tr("Safety check: %1 (%2)").arg(safetyLabelName(label), findingCountText(int(findings.size()))));
    for (const Finding &f : findings) {
        const QString advice = safety::ruleAdvice(f.rule);
        const QString sentence = advice.isEmpty()
                                     ? f.reason
                                     : tr("%1: %2", "the reason, then what to do instead").arg(f.reason, advice);
        auto *item = new QListWidgetItem(tr("Line %1, column %2  %3  %4",
                                            "line, column, the rule, what it found and what to do instead")
                                             .arg(f.line)
                                             .arg(f.column)
                                             .arg(f.rule, sentence),
                                         m_list);
        item->setData(kLineRole, f.line);
        item->setData(kColumnRole, f.column);
        item->setToolTip(tr("The code: %1\nEnter or a click shows it in the editor.").arg(f.text));
        item->setForeground(f.label == SafetyLabel::Dangerous ? QColor(0xb0, 0x20, 0x20) : QColor(0x9a, 0x6a, 0x00));
    }
    show();
}

void FindingsPanel::clear()
{
    m_list->clear();
    hide();
}

QString FindingsPanel::title() const
{
    return m_title->text();
}

int FindingsPanel::count() const
{
    return m_list->count();
}

} // namespace safecell

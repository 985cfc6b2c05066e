#pragma once

#include <QByteArray>
#include <QDialog>

#include <memory>

namespace Ui {
class LlmRequestView;
}

namespace safecell {

// "What was sent to Cohere": exactly the request body of one run's (or one
// Ask's) LLM call, pretty-printed and read-only, so an analyst can check
// that nothing left the machine that should not have.
class LlmRequestView : public QDialog {
    Q_OBJECT
public:
    // context: what the body belongs to ("Run of 14:02:11, classification").
    LlmRequestView(const QByteArray &body, const QString &context, QWidget *parent = nullptr);
    ~LlmRequestView() override;

    QString shownText() const;
    // Indented JSON; the bytes as text when they are not JSON.
    static QString prettyPrinted(const QByteArray &body);

private:
    std::unique_ptr<Ui::LlmRequestView> m_ui;
};

} // namespace safecell

#include "KeychainState.h"

#include <QDir>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace safecell::test {

namespace {

const QString kCohereKey = u"co-matrix-key-0123456789abcdef"_s;
const QString kE2bKey = u"e2b_matrix_key_0123456789abcdef"_s;
const QString kApiToken = u"matrix-api-token-0123456789abcdef0123456789abcdef"_s;

QString keychainScripts()
{
    return qEnvironmentVariable("SAFECELL_SOURCE_DIR") + u"/tests/keychain/"_s;
}

} // namespace

QString KeychainState::name(Kind kind)
{
    switch (kind) {
    case Kind::NoBus:
        return u"no-bus"_s;
    case Kind::BusOnly:
        return u"bus-only"_s;
    case Kind::Locked:
        return u"locked"_s;
    case Kind::KeysStored:
        return u"keys-stored"_s;
    case Kind::KeysInEnvironment:
        return u"keys-in-environment"_s;
    case Kind::NotFound:
        return u"not-found"_s;
    }
    return {};
}

KeychainState::KeychainState(Kind kind, QString dir, QUrl cohereUrl)
    : m_kind(kind)
    , m_dir(std::move(dir))
    , m_cohereUrl(std::move(cohereUrl))
{
}

KeychainState::~KeychainState()
{
    if (m_started)
        runScript(u"stop-keyring.sh"_s, {m_dir});
}

bool KeychainState::runScript(const QString &script, const QStringList &arguments)
{
    QProcess process;
    process.start(u"sh"_s, QStringList{keychainScripts() + script} + arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = u"%1 failed: %2"_s.arg(script, QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool KeychainState::keychainTool(const QStringList &arguments, const QByteArray &input)
{
    QProcess process;
    process.setProcessEnvironment(environmentWithoutApiToken());
    process.start(qEnvironmentVariable("SAFECELL_KEYCHAIN_TOOL"), arguments);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = u"keychain_tool %1 failed: %2"_s.arg(arguments.join(u' '),
                                                       QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool KeychainState::start()
{
    QDir().mkpath(m_dir);
    QString script;
    switch (m_kind) {
    case Kind::NoBus:
    case Kind::KeysInEnvironment:
        QDir(m_dir).mkpath(u"home"_s);
        QDir(m_dir).mkpath(u"runtime"_s);
        QFile::setPermissions(m_dir + u"/runtime"_s, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return true;
    case Kind::BusOnly:
        script = u"bus-only"_s;
        break;
    case Kind::Locked:
        script = u"locked"_s;
        break;
    case Kind::KeysStored:
    case Kind::NotFound:
        script = u"unlocked"_s;
        break;
    }
    if (!runScript(u"start-keychain.sh"_s, {script, m_dir}))
        return false;
    m_started = true;
    if (m_kind == Kind::KeysStored)
        return keychainTool({u"write"_s, u"cohere"_s}, kCohereKey.toUtf8())
               && keychainTool({u"write"_s, u"e2b"_s}, kE2bKey.toUtf8());
    if (m_kind == Kind::NotFound)
        return keychainTool({u"remove"_s, u"cohere"_s}) && keychainTool({u"remove"_s, u"e2b"_s});
    return true;
}

QProcessEnvironment KeychainState::environmentWithoutApiToken() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const bool noBus = m_kind == Kind::NoBus || m_kind == Kind::KeysInEnvironment;
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s,
               noBus ? u"unix:path=%1/no-such-bus"_s.arg(m_dir) : u"unix:path=%1/bus"_s.arg(m_dir));
    env.insert(u"HOME"_s, m_dir + u"/home"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir + u"/home/.config"_s);
    env.insert(u"XDG_DATA_HOME"_s, m_dir + u"/home/.local/share"_s);
    env.insert(u"XDG_CACHE_HOME"_s, m_dir + u"/home/.cache"_s);
    env.insert(u"XDG_RUNTIME_DIR"_s, m_dir + u"/runtime"_s);
    env.insert(u"SAFECELL_DATA_DIR"_s, m_dir + u"/data"_s);
    env.insert(u"SAFECELL_COHERE_URL"_s, m_cohereUrl.toString());
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.insert(u"COHERE_API_KEY"_s, QString());
    env.insert(u"E2B_API_KEY"_s, QString());
    env.insert(u"SAFECELL_API_TOKEN"_s, QString());
    if (m_kind == Kind::KeysInEnvironment) {
        env.insert(u"COHERE_API_KEY"_s, kCohereKey);
        env.insert(u"E2B_API_KEY"_s, kE2bKey);
    }
    return env;
}

QProcessEnvironment KeychainState::environment() const
{
    QProcessEnvironment env = environmentWithoutApiToken();
    if (!hasKeychain())
        env.insert(u"SAFECELL_API_TOKEN"_s, kApiToken);
    return env;
}

bool KeychainState::keychainUnreadable() const
{
    return m_kind == Kind::NoBus || m_kind == Kind::BusOnly || m_kind == Kind::Locked;
}

bool KeychainState::hasKeychain() const
{
    return m_kind == Kind::KeysStored || m_kind == Kind::NotFound;
}

bool KeychainState::hasCohereKey() const
{
    return m_kind == Kind::KeysStored || m_kind == Kind::KeysInEnvironment;
}

QString KeychainState::expectedFix() const
{
    return m_kind == Kind::Locked ? u"unlock"_s : u"Secret Service"_s;
}

} // namespace safecell::test

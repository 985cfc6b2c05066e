#include "E2bDataView.h"

#include "sandbox/PythonLiteral.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace safecell {

namespace {

QString pagerSource()
{
    QFile file(QStringLiteral(":/kernel/dataview.py"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// Run by isolatedPythonCell, given the session's globals. The pager module is rebuilt when
// SafeCell's copy of it changed, so an upgraded SafeCell never pages with
// an older one left in a warm sandbox.
constexpr char kShowPage[] = R"(
def _safecell_pager(source, version):
    import sys, types
    module = sys.modules.get('_safecell_dataview')
    if module is None or getattr(module, '_safecell_version', None) != version:
        module = types.ModuleType('_safecell_dataview')
        exec(source, module.__dict__)
        module._safecell_version = version
        module._safecell_generation = None
        sys.modules['_safecell_dataview'] = module
    return module


def _safecell_show_page(namespace):
    import json
    from IPython.display import display
    page = json.loads(_safecell_request)
    try:
        pager = _safecell_pager(_safecell_source, _safecell_version)
        if pager._safecell_generation != page['generation']:
            pager._safecell_view_cache.clear()
            pager._safecell_generation = page['generation']
        answer = pager._safecell_data_page(namespace, page['name'], page['offset'], page['count'],
                                           page['sort_column'], page['descending'], page['filter_text'],
                                           page['filter_column'])
    except BaseException as error:  # a cell's __str__ raised, or the page was interrupted
        answer = {'error': 'the page could not be read: %s: %s' % (type(error).__name__, error)}
    display({'application/json': {'%1': answer}}, raw=True)
)";

} // namespace

QString e2bDataPageCode(const DataPageRequest &request, quint64 generation)
{
    const QString source = pagerSource();
    const QString version = QString::fromLatin1(
        QCryptographicHash::hash(source.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    const QJsonObject page{
        {QStringLiteral("generation"), QString::number(generation)},
        {QStringLiteral("name"), request.name},
        {QStringLiteral("offset"), request.offset},
        {QStringLiteral("count"), request.count},
        {QStringLiteral("sort_column"), request.sortColumn >= 0 ? QJsonValue(request.sortColumn) : QJsonValue()},
        {QStringLiteral("descending"), request.descending},
        {QStringLiteral("filter_text"), request.filterText},
        {QStringLiteral("filter_column"), request.filterColumn >= 0 ? QJsonValue(request.filterColumn) : QJsonValue()},
    };
    const QString pageJson = QString::fromUtf8(QJsonDocument(page).toJson(QJsonDocument::Compact));
    const QString pager = QString::fromLatin1(kShowPage).arg(QLatin1String(kSafecellDataPageKey));
    return isolatedPythonCell(pager, QStringLiteral("_safecell_show_page"),
                              {{QStringLiteral("_safecell_source"), pythonStringLiteral(source)},
                               {QStringLiteral("_safecell_version"), pythonStringLiteral(version)},
                               {QStringLiteral("_safecell_request"), pythonStringLiteral(pageJson)}});
}

} // namespace safecell

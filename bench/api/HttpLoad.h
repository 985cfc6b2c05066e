#pragma once

#include <QByteArray>
#include <QList>

// A load generator for bench_api: raw HTTP/1.1 POSTs, one per connection
// as the API serves them, `clients` in flight at a time, on this thread's
// event loop (a local QEventLoop: a benchmark, not product code).
struct LoadResult {
    QList<double> latencyMs;  // per request, connect to the end of the answer
    QList<double> pipelineMs; // the server's own durationMs for each
    double wallMs = 0;
    int failures = 0;
    QByteArray firstFailure;
};

struct LoadSpec {
    quint16 port = 0;
    QByteArray token;
    QByteArray body;      // the JSON body of every request
    QString expectStdout; // or else the request counts as failed
    QString expectResult; // checked instead when not empty
    int clients = 1;
    int total = 100;
    int gapMs = 0; // a client waits this long after an answer before its next request
};

LoadResult runLoad(const LoadSpec &spec);

double percentile(QList<double> values, double p);

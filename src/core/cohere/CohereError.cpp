#include "cohere/CohereError.h"

namespace safecell {

CohereError::Kind cohereErrorKindForStatus(int status)
{
    using K = CohereError::Kind;
    switch (status) {
    case 400:
        return K::BadRequest;
    case 401:
        return K::Unauthorized;
    case 402:
        return K::PaymentRequired;
    case 403:
        return K::Forbidden;
    case 404:
        return K::NotFound;
    case 422:
        return K::Unprocessable;
    case 429:
        return K::RateLimited;
    case 498:
        return K::InvalidToken;
    case 499:
        return K::ClientClosed;
    default:
        break;
    }
    return status >= 500 && status <= 599 ? K::ServerError : K::HttpError;
}

QString CohereError::kindName() const
{
    switch (kind) {
    case Kind::BadRequest:
        return QStringLiteral("bad-request");
    case Kind::Unauthorized:
        return QStringLiteral("unauthorized");
    case Kind::PaymentRequired:
        return QStringLiteral("payment-required");
    case Kind::Forbidden:
        return QStringLiteral("forbidden");
    case Kind::NotFound:
        return QStringLiteral("not-found");
    case Kind::Unprocessable:
        return QStringLiteral("unprocessable");
    case Kind::RateLimited:
        return QStringLiteral("rate-limited");
    case Kind::InvalidToken:
        return QStringLiteral("invalid-token");
    case Kind::ClientClosed:
        return QStringLiteral("client-closed");
    case Kind::ServerError:
        return QStringLiteral("server-error");
    case Kind::HttpError:
        return QStringLiteral("http-error");
    case Kind::ConnectTimeout:
        return QStringLiteral("connect-timeout");
    case Kind::FirstByteTimeout:
        return QStringLiteral("first-byte-timeout");
    case Kind::StreamStalled:
        return QStringLiteral("stream-stalled");
    case Kind::DeadlineExceeded:
        return QStringLiteral("deadline-exceeded");
    case Kind::Tls:
        return QStringLiteral("tls");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::MalformedResponse:
        return QStringLiteral("malformed-response");
    case Kind::StreamIncomplete:
        return QStringLiteral("stream-incomplete");
    case Kind::GenerationFailed:
        return QStringLiteral("generation-failed");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QString CohereError::describe() const
{
    QString what;
    switch (kind) {
    case Kind::BadRequest:
        what = QStringLiteral("Cohere rejected the request");
        break;
    case Kind::Unauthorized:
        what = QStringLiteral("The Cohere API key is wrong, missing or expired; check it in Settings");
        break;
    case Kind::PaymentRequired:
        what = QStringLiteral("Cohere's billing limit is reached");
        break;
    case Kind::Forbidden:
        what = QStringLiteral("Cohere refused access");
        break;
    case Kind::NotFound:
        what = QStringLiteral("Cohere does not know this model");
        break;
    case Kind::Unprocessable:
        what = QStringLiteral("Cohere could not process the request");
        break;
    case Kind::RateLimited:
        what = QStringLiteral("Cohere's rate limit was hit, even after retrying");
        break;
    case Kind::InvalidToken:
        what = QStringLiteral("Cohere refused the request as unsafe");
        break;
    case Kind::ClientClosed:
        what = QStringLiteral("Cohere reports the request was cancelled");
        break;
    case Kind::ServerError:
        what = QStringLiteral("Cohere had a server error, even after retrying");
        break;
    case Kind::HttpError:
        what = QStringLiteral("Cohere answered with an unexpected status");
        break;
    case Kind::ConnectTimeout:
        what = QStringLiteral("Could not connect to Cohere in time");
        break;
    case Kind::FirstByteTimeout:
        what = QStringLiteral("Cohere did not start answering in time");
        break;
    case Kind::StreamStalled:
        what = QStringLiteral("Cohere's answer stopped arriving");
        break;
    case Kind::DeadlineExceeded:
        what = QStringLiteral("The Cohere call ran past its deadline");
        break;
    case Kind::Tls:
        what = QStringLiteral("The secure connection to Cohere failed");
        break;
    case Kind::Network:
        what = QStringLiteral("The network connection to Cohere failed");
        break;
    case Kind::MalformedResponse:
        what = QStringLiteral("Cohere's answer could not be read");
        break;
    case Kind::StreamIncomplete:
        what = QStringLiteral("Cohere's streamed answer ended early");
        break;
    case Kind::GenerationFailed:
        what = QStringLiteral("Cohere failed while generating");
        break;
    case Kind::Cancelled:
        what = QStringLiteral("The Cohere call was cancelled");
        break;
    }
    if (httpStatus != 0)
        what += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    if (!message.isEmpty())
        what += QStringLiteral(": ") + message;
    return what;
}

bool CohereError::retryable() const
{
    return kind == Kind::RateLimited || kind == Kind::ServerError;
}

} // namespace safecell

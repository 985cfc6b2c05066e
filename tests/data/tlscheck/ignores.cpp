// A fixture for check_no_ignored_tls_errors.cmake: the check must flag this.
void onSslErrors(QNetworkReply *reply)
{
    reply->ignoreSslErrors();
}

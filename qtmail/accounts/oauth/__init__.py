"""Sign in through the provider's page (OAuth2, issue 16): authorization code with PKCE
in the system browser, tokens refreshed in the worker threads, the refresh token in the
keyring and nowhere else. Qt-free."""

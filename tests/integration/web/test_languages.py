"""Every page in the browser's language (Accept-Language) or the one chosen with the switch
(web/i18n.py, web/routes/home.py)."""

from __future__ import annotations

from tests.web_support import WebNode, csrf_of, sign_in


def test_the_browsers_language_is_used_until_one_is_chosen(web: WebNode) -> None:
    client = web.client()
    login = client.get("/app/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in login.text
    assert "Se connecter" in login.text and "Nom d&#39;utilisateur" in login.text
    token = sign_in(client, "exporter")
    home = client.get("/app/", headers={"Accept-Language": "es"})
    assert '<html lang="es">' in home.text and "Cerrar sesión" in home.text
    switched = client.post(
        "/app/language", data={"language": "fr", "next": "/app/", "csrf_token": token}
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/app/"
    assert "originlink_lang=fr" in switched.headers["set-cookie"]
    home = client.get("/app/", headers={"Accept-Language": "es"})
    assert '<html lang="fr">' in home.text and "Se déconnecter" in home.text
    assert "Bienvenue, exporter" in home.text


def test_the_switch_works_before_signing_in_and_ignores_unknown_languages(web: WebNode) -> None:
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    answer = client.post(
        "/app/language", data={"language": "es", "next": "/app/login", "csrf_token": token}
    )
    assert answer.headers["location"] == "/app/login"
    assert "Iniciar sesión" in client.get("/app/login").text
    other = client.post(
        "/app/language",
        data={"language": "xx", "next": "https://evil.example/", "csrf_token": token},
    )
    assert other.headers["location"] == "/app/" and "set-cookie" not in other.headers

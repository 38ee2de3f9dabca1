"""The foundation answers: health, docs and the register/me round trip."""


def test_health_reports_the_database(api):
    response = api.get("/api/health/")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_register_then_read_own_profile(api):
    session = api.register("vendor")
    response = api.get("/api/auth/me", session["access"])
    assert response.status_code == 200
    assert response.get_json()["role"] == "vendor"

def test_login_page_is_norwegian_and_public(client):
    response = client.get("/logg-inn")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nb"' in html
    assert "Logg inn i Styringsrommet" in html


def test_admin_signs_in_and_sees_start_page(admin_client):
    response = admin_client.get("/")
    assert response.status_code == 200
    assert "Hei, Anne Admin" in response.get_data(as_text=True)

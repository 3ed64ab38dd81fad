"""`coordination user create`: an organisation made with the CLI gets a web sign-in."""
from __future__ import annotations

import re

from ..factories import make_organisation


def test_an_organisation_made_on_the_command_line_can_sign_in_on_the_web(runner, client, session):
    org = make_organisation(session, name="Lake Basin Wells")
    result = runner.invoke(args=["user", "create", "--org", org.slug, "--email", "desk@lakebasin.example",
                                 "--password", "correct horse battery"])
    assert result.exit_code == 0, result.output
    assert "desk@lakebasin.example can now sign in" in result.output
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_in = client.post("/signin", data={"csrf_token": token, "email": "desk@lakebasin.example",
                                              "password": "correct horse battery"})
    assert signed_in.status_code == 302
    assert "Lake Basin Wells" in client.get("/account").get_data(as_text=True)


def test_a_short_password_is_refused_with_the_field_named(runner, session):
    org = make_organisation(session, name="Short Password Org")
    result = runner.invoke(args=["user", "create", "--org", org.slug, "--email", "a@b.example", "--password", "x"])
    assert result.exit_code == 2 and "password: must have at least 10 characters" in result.output

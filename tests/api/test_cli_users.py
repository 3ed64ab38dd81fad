"""`coordination user create`: an organisation made with the CLI, or a coordinator, gets a web sign-in."""
from __future__ import annotations

import re


from ..factories import make_initiative, make_organisation, recompute


def _sign_in(client, email: str, password: str = "correct horse battery"):
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/signin", data={"csrf_token": token, "email": email, "password": password})


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


def test_a_coordinator_made_on_the_command_line_signs_in_and_decides_on_other_organisations_overlaps(
        runner, client, session):
    wells, basin = make_organisation(session, name="Lake Basin Wells"), make_organisation(session, name="Basin Water")
    make_initiative(session, wells, title="Repairing community wells in Kisumu")
    make_initiative(session, basin, title="Repairing community wells in Kisumu town", visibility="private")
    recompute(session)
    result = runner.invoke(args=["user", "create", "--role", "coordinator", "--email", "coord@platform.example",
                                 "--password", "correct horse battery"])
    assert result.exit_code == 0, result.output
    assert "coord@platform.example can now sign in at /signin as a coordinator" in result.output
    assert "Repairing community wells in Kisumu town" not in client.get("/overlaps").get_data(as_text=True)

    assert _sign_in(client, "coord@platform.example").status_code == 302
    account = client.get("/account").get_data(as_text=True)
    assert "a coordinator of the whole platform" in account and "Lake Basin Wells" not in account
    listing = client.get("/overlaps").get_data(as_text=True)
    assert "Repairing community wells in Kisumu town" in listing  # a private side: coordinators read all
    assert 'value="confirm"' in listing and 'href="/initiatives/new"' not in listing
    overlap_id = int(re.search(r'id="overlap-(\d+)"', listing).group(1))
    token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
    decided = client.post(f"/overlaps/{overlap_id}/decision", data={"csrf_token": token, "decision": "confirm"})
    assert decided.status_code == 302
    assert "the overlap is now confirmed" in client.get("/overlaps").get_data(as_text=True)
    for path in ("/initiatives/new", "/inbox", "/account/import"):  # no organisation to act for
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "belongs to no organisation" in answer.get_data(as_text=True)


def test_a_coordinator_has_no_organisation_and_a_member_needs_one(runner, session):
    org = make_organisation(session, name="Some Org")
    both = runner.invoke(args=["user", "create", "--role", "coordinator", "--org", org.slug,
                               "--email", "c@d.example", "--password", "correct horse battery"])
    assert both.exit_code == 2 and "leave out --org" in both.output
    neither = runner.invoke(args=["user", "create", "--role", "member", "--email", "m@d.example",
                                  "--password", "correct horse battery"])
    assert neither.exit_code == 2 and "--org" in neither.output

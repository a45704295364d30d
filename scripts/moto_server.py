"""moto's server (`moto_server`, same arguments) with one read-only endpoint more, for the tests.

`GET /moto-api/labnote/secret?id=AKIA...` answers the secret access key moto holds for that
key id (404 when there is none): what `/moto-api/data.json` tells, without JSON-encoding every
model moto ever created. That dump grows with the run (deleted users included) and cost 0.4 s a
call near the end of the suite, most of moto's CPU time; this lookup costs a dictionary walk.
"""
import sys

from moto.moto_api._internal import urls


def secret(request, full_url, headers):
    from moto.iam.models import iam_backends

    key_id = request.args.get("id", "")
    for account in list(iam_backends.values()):
        for backend in list(account.values()):
            for user in list(backend.users.values()):
                for key in user.access_keys:
                    if key.access_key_id == key_id:
                        return 200, {"Content-Type": "text/plain"}, key.secret_access_key
    return 404, {"Content-Type": "text/plain"}, ""


urls.url_paths["{0}/moto-api/labnote/secret"] = secret

from moto.server import main  # noqa: E402 (after the route is added)

if __name__ == "__main__":
    sys.exit(main())

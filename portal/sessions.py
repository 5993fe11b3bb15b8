"""Sessions in the database, as Django's own, with fewer round trips for a new one.

Django checks that a new random key is unused before it inserts the session; the insert of a
new session fails on a used key anyway (and Django then draws another one), so the check only
costs a round trip on every first visit that stores something (a submission's access grant,
a staff sign-in). Keys are 32 characters of 36: a clash is not expected in practice.

Django also wraps each save in a transaction of its own, so that a used key (or a session
deleted meanwhile) can be caught inside whatever transaction is open. Outside any transaction
(where the session middleware saves), the single INSERT or UPDATE commits on its own and a
failure fails only that statement: the BEGIN and COMMIT around it are left out.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, connections, router
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super().save(must_create)
        row = self.create_model_instance(self._get_session(no_load=must_create))
        try:
            row.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError as error:
            if must_create:
                raise CreateError from error
            raise
        except DatabaseError as error:
            if not must_create:
                raise UpdateError from error
            raise

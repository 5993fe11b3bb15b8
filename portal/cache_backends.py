"""The database cache with an atomic `incr` (PORTAL_CACHE=db).

Django's DatabaseCache increments by reading the value and writing it back, so two processes
counting at once both write the same number: 60 concurrent wrong tracking codes were counted as
a handful. Here the write is a compare-and-swap, one UPDATE that succeeds only while the row
still holds the value that was read (repeated otherwise), which every database does atomically.
The locmem and redis backends' `incr` is atomic already.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

ATTEMPTS = 1000  # compare-and-swap rounds before giving up (each lost round means progress)


class AtomicDatabaseCache(DatabaseCache):
    def _sql(self, connection) -> tuple[str, str]:
        quote = connection.ops.quote_name
        table = quote(self._table)
        select = (
            f"SELECT {quote('value')} FROM {table} "
            f"WHERE {quote('cache_key')} = %s AND {quote('expires')} >= %s"
        )
        swap = (
            f"UPDATE {table} SET {quote('value')} = %s "
            f"WHERE {quote('cache_key')} = %s AND {quote('value')} = %s"
        )
        return select, swap

    def _read(self, cursor, select: str, key: str, now) -> str | None:
        cursor.execute(select, [key, now])
        row = cursor.fetchone()
        return row[0] if row else None

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        select, swap = self._sql(connection)
        for _round in range(ATTEMPTS):
            now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
            with connection.cursor() as cursor:
                read = self._read(cursor, select, key, now)
                if read is None:
                    raise ValueError(f"Key '{key}' not found")
                value = pickle.loads(base64.b64decode(read.encode())) + delta
                stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol))
                cursor.execute(swap, [stored.decode("latin1"), key, read])
                if cursor.rowcount == 1:
                    return value
        raise RuntimeError(f"cache counter {key!r} kept changing under {ATTEMPTS} updates")

"""Read replicas: the public's reads on a PostgreSQL hot standby, everything else on the primary.

With `DATABASE_REPLICA_URLS` set, settings.py adds a database alias per replica
(`replica_0`, `replica_1`, …). `middleware.ReplicaMiddleware` decides, once per request,
whether its reads may go to a replica: GET, HEAD and OPTIONS requests of visitors without
a session (the public) and of the JSON API, unless the visitor wrote something in the
last `DATABASE_REPLICA_PIN_SECONDS` (read-your-writes, a signed cookie). `router.ReplicaRouter`
then sends those reads to a replica that answers, and every write, every read outside a
request (the task worker, the scheduler, management commands, migrations) and every read
inside an explicit transaction (where rows are locked with SELECT … FOR UPDATE) to the
primary. A replica that does not answer is skipped, with a warning, for
`DATABASE_REPLICA_RETRY_SECONDS`; if one fails in the middle of a read-only request, the
request is answered again from the primary.

Cached values follow content generations (apap_portal.caching); a value computed on a
replica that has not replayed a write its generations count is not kept:
apap_portal.caching.positions. `cluster` starts a real primary and hot standby for the
tests and the benchmark.

Without `DATABASE_REPLICA_URLS` nothing here runs a query or sets a cookie.
"""

"""Publishing approved drafts to the network, exactly once, and the buttons around it.

- `state`: the draft's post records, the pause flag and the London scheduling clock.
- `commands`: SLT's buttons (retry, mark published, takedown, cancel) and the CLI's delete.
- `jobs`: step 1 of a publish (claim and check, before anything goes to the network).
- `runner`: the `Publishing` worker (steps 2 and 3: talk to the network, record the answer).
- `takedowns`: the worker's deletion of a published post, and its failures.
- `retention`: claims whose worker stopped (recovery) and the purge of old photo data.

The way of one publish (the worker calls `Publishing.process_next`):

1. One transaction claims the outbox row (a lease), re-checks the draft is still approved or
   scheduled and that every pictured pupil's Twitter consent is in force on the post's day,
   and moves the draft to `publishing`, all before any call to the network.
2. Each photo is uploaded and given its alt text; every media id is saved (and the lease
   renewed) as soon as the network returns it, so a retry reuses media instead of uploading
   again.
3. "About to post" is saved, then the post is created, then its id and URL are saved and the
   draft is `published`. The network has no idempotency key: if the worker dies between "about
   to post" and the result, nobody can know whether the post exists, so the row goes to
   `needs_review` for a person, never to a blind retry. Before "about to post", a retry is safe.

A worker that dies mid-publish is found two ways: a worker starting on the same host sees at once
that the claim's process is gone (`outbox.dead_claims`); from another host, its lease runs out.
Either way the same rule applies: a retry only before "about to post", else `needs_review`.

Errors (see `PublishErrorKind`): rate limits wait for the network's reset; transient errors back
off exponentially with jitter (the first retry within seconds, doubling to the cap) up to
`max_attempts`, then `failed` (SLT can Retry); credentials pause all publishing with one alert
naming the fix; duplicate content is `needs_review`.
"""

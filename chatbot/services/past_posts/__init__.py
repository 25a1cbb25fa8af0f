"""Past posts after a withdrawal: the live posts that picture a pupil whose Twitter consent was
withdrawn, put to SLT to take down or to keep, each decision with a reason and audited.

A withdrawal (by the command line, the office's form or an import) opens a review in its own
transaction when the pupil is pictured in live posts; `announce` then shows it to SLT once (the
chat adapter draws the card). Each post on it is decided once: "delete" queues the deletion for
the worker, which deletes through the publisher and redraws the card; "keep" records why.
Every click is checked here: SLT only, a post that is on that very review, not decided yet.
Nothing here names a pupil in a log; audit rows carry the pupil's id.

- `view`: what a review shows (the posts, their dates, excerpts, links and decisions);
- `reviews`: opening a review in the withdrawal's transaction, and showing it once;
- `decisions`: SLT's "delete" and "keep", with every check.
"""

from chatbot.services.past_posts.decisions import (
    MAX_REASON,
    NEED_REASON,
    NOT_A_CARD,
    NOT_ON_CARD,
    NOT_SLT,
    OWN_POST,
    check_may_act,
    keep,
    request_delete,
)
from chatbot.services.past_posts.reviews import announce, open_review, unannounced
from chatbot.services.past_posts.view import (
    EXCERPT,
    PastPost,
    PostStatus,
    ReviewView,
    excerpt,
    live_posts,
    load_review,
    post_line,
    reviews_showing,
)

__all__ = [
    "EXCERPT",
    "MAX_REASON",
    "NEED_REASON",
    "NOT_A_CARD",
    "NOT_ON_CARD",
    "NOT_SLT",
    "OWN_POST",
    "PastPost",
    "PostStatus",
    "ReviewView",
    "announce",
    "check_may_act",
    "excerpt",
    "keep",
    "live_posts",
    "load_review",
    "open_review",
    "post_line",
    "request_delete",
    "reviews_showing",
    "unannounced",
]

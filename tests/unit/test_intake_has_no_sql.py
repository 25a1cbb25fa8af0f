"""Issue 9 item 3: the intake and name-question services build no query and call no session
method; their SQL is in adapters/db/intake.py and adapters/db/name_questions.py."""

from __future__ import annotations

import re
from pathlib import Path

import chatbot

SERVICES = Path(chatbot.__file__).parent / "services"
MODULES = (*sorted((SERVICES / "intake").glob("*.py")), SERVICES / "name_questions.py")
SQL = re.compile(
    r"session\.(execute|scalar|scalars|get|get_one|add|add_all|delete|merge|flush)\("
    r"|begin_nested|^from sqlalchemy import|^from sqlalchemy\.(sql|orm) import"
)
ALLOWED = "from sqlalchemy.orm import Session"  # type hints, and `sessionmaker`


def test_the_intake_services_leave_sql_to_their_repositories() -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in MODULES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line) and not line.startswith(ALLOWED)
    ]
    assert len(MODULES) == 7
    assert found == []

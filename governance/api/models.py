"""Personal API tokens: a user's named, revocable keys for the JSON API."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, Tracked, utcnow
from governance.roles.models import User


class ApiToken(Tracked, Base):
    """A token acts with exactly its user's rights. Only a SHA-256 hash of the secret is
    stored; neither the secret nor its hash goes into the history."""

    __tablename__ = "api_token"
    __history_exclude__ = ("version_id", "token_hash", "last_used_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so the owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date | None] = mapped_column(Date)  # last day it works
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    user: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def history_parent(self) -> tuple[str, int]:
        return "user_account", self.user_id

    def works_on(self, day: date) -> bool:
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= day)

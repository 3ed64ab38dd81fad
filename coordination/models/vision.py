"""Visions and their goals: the shared agendas initiatives register against.

The UN 2030 Agenda (17 SDGs, 169 targets) is the built-in vision `sdg`. A coalition
may add its own vision whose goals each may link to an SDG target, so that work
registered against a local goal is still comparable with SDG-tagged work.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..vocab import goal_reference
from .base import Base, utcnow


class Vision(Base):
    """A shared agenda made of a hierarchy of goals."""

    __tablename__ = "vision"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goals: Mapped[list[Goal]] = relationship(
        back_populates="vision", order_by="Goal.position", cascade="all, delete-orphan"
    )


class Goal(Base):
    """A goal or a target of a vision (level "goal" or "target"), e.g. SDG "6" or "6.1"."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("vision_id", "code", name="uq_goal_vision_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vision_id: Mapped[int] = mapped_column(ForeignKey("vision.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16), default="goal")
    title: Mapped[str] = mapped_column(Text)
    short_title: Mapped[str | None] = mapped_column(String(200))
    colour: Mapped[str | None] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(default=0)
    # A coalition's local goal may point at the SDG goal or target it serves.
    sdg_code: Mapped[str | None] = mapped_column(String(16))

    vision: Mapped[Vision] = relationship(back_populates="goals")
    parent: Mapped[Goal | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Goal]] = relationship(back_populates="parent", order_by="Goal.position")

    @property
    def ref(self) -> str:
        """The goal as every door writes it: "6.1", or "slug:code" outside the SDGs (`vocab.goal_reference`)."""
        return goal_reference(self.vision.slug, self.code)

    @property
    def sdg_equivalent(self) -> str | None:
        """The SDG code this goal counts as when comparing initiatives."""
        return self.code if self.vision.slug == "sdg" else self.sdg_code

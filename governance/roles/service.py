"""Commands on users, sessions and project roles: (session, actor, ...), flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from governance.db_base import utcnow
from governance.errors import N_, RuleViolation, StaleEdit
from governance.roles import passwords
from governance.roles.defaults import DEFAULT_RESPONSIBILITIES, RESPONSIBILITY_KEYS
from governance.roles.models import (
    ORGANISATION_ROLES,
    SINGLE_GROUPS,
    SINGLE_HOLDER_ROLES,
    GroupKind,
    GroupMember,
    LocalTask,
    LocalTaskStatus,
    MemberRole,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    ProjectTask,
    Responsibility,
    TaskLevel,
    User,
    UserSession,
)

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None. Constant-ish time."""
    user = session.scalar(
        select(User).where(func.lower(User.username) == normalise_username(username))
    )
    if user is None:
        passwords.verify_password(passwords.DUMMY_HASH, password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if not user.is_active_account:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, address: str | None) -> str:
    """Create a server-side session and return its secret token (goes in the cookie)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id,
                            address=(address or "")[:64]))
    session.flush()
    return token


def find_live_session(session: Session, token: str, idle: timedelta,
                      absolute: timedelta) -> UserSession | None:
    """The session for ``token`` if it has not ended or timed out; ends it if it timed out."""
    user_session = session.scalar(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    )
    if user_session is None or user_session.ended_at is not None:
        return None
    now = utcnow()
    if now - user_session.last_seen_at > idle:
        user_session.ended_at, user_session.end_reason = now, "idle_timeout"
        return None
    if now - user_session.created_at > absolute:
        user_session.ended_at, user_session.end_reason = now, "absolute_timeout"
        return None
    if not user_session.user.is_active_account:
        user_session.ended_at, user_session.end_reason = now, "user_disabled"
        return None
    if now - user_session.last_seen_at > timedelta(seconds=60):
        user_session.last_seen_at = now
    return user_session


def end_session(session: Session, token: str, reason: str = "signed_out") -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def end_all_sessions(session: Session, user: User, reason: str) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def _check_username(session: Session, username: str, exclude_id: int | None = None) -> str:
    username = normalise_username(username)
    if not username:
        raise RuleViolation(N_("Brukernavn må fylles ut."), "username")
    if not set(username) <= USERNAME_CHARS:
        raise RuleViolation(
            N_("Brukernavnet kan bare ha små bokstaver a–z, tall og . _ - @."), "username"
        )
    stmt = select(User.id).where(func.lower(User.username) == username)
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise RuleViolation(N_("Brukernavnet er allerede i bruk."), "username")
    return username


def _check_password(password: str) -> None:
    problem = passwords.password_problem(password)
    if problem:
        message, params = problem
        raise RuleViolation(message, "password", **params)


def create_user(session: Session, actor: User | None, *, username: str, full_name: str,
                password: str, email: str | None = None, organisation_id: int | None = None,
                is_admin: bool = False, can_create_projects: bool = False,
                locale: str = "nb") -> User:
    username = _check_username(session, username)
    if not full_name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "full_name")
    _check_password(password)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=(email or "").strip() or None,
        password_hash=passwords.hash_password(password),
        password_changed_at=utcnow(),
        organisation_id=organisation_id,
        is_admin=is_admin,
        can_create_projects=can_create_projects,
        is_active_account=True,
        locale=locale,
    )
    session.add(user)
    session.flush()
    # Every account is a person who can hold roles.
    person_for_user(session, user)
    return user


def update_user(session: Session, actor: User, user: User, *, full_name: str,
                email: str | None, organisation_id: int | None, is_admin: bool,
                can_create_projects: bool) -> User:
    if not full_name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "full_name")
    if user.id == actor.id and not is_admin and user.is_admin:
        raise RuleViolation(N_("Du kan ikke fjerne din egen administratorrolle."), "is_admin")
    user.full_name = full_name.strip()
    user.email = (email or "").strip() or None
    user.organisation_id = organisation_id
    user.is_admin = is_admin
    user.can_create_projects = can_create_projects
    session.flush()
    return user


def reset_password(session: Session, actor: User | None, user: User, password: str) -> None:
    _check_password(password)
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user, "password_reset")
    session.flush()


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise RuleViolation(N_("Du kan ikke deaktivere din egen bruker."))
    user.is_active_account = active
    if not active:
        end_all_sessions(session, user, "user_disabled")
    session.flush()


def set_locale(session: Session, user: User, locale: str, languages: tuple[str, ...]) -> None:
    if locale not in languages:
        raise RuleViolation(N_("Ukjent språk."), "lang")
    user.locale = locale
    session.flush()


# ---- people --------------------------------------------------------------------------


@dataclass
class PersonInput:
    full_name: str
    title: str | None = None
    organisation_id: int | None = None
    email: str | None = None
    phone: str | None = None
    user_id: int | None = None


def _apply_person(session: Session, person: Person, data: PersonInput) -> None:
    if not data.full_name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "full_name")
    if data.user_id is not None:
        taken = session.scalar(
            select(Person.id).where(Person.user_id == data.user_id, Person.id != person.id)
        )
        if taken is not None:
            raise RuleViolation(N_("Brukerkontoen er allerede knyttet til en annen person."),
                                "user_id")
    person.full_name = data.full_name.strip()
    person.title = (data.title or "").strip() or None
    person.organisation_id = data.organisation_id
    person.email = (data.email or "").strip() or None
    person.phone = (data.phone or "").strip() or None
    person.user_id = data.user_id


def create_person(session: Session, actor, data: PersonInput) -> Person:
    person = Person()
    _apply_person(session, person, data)
    session.add(person)
    session.flush()
    return person


def update_person(session: Session, actor, person: Person, data: PersonInput,
                  version_id: int) -> Person:
    if version_id != person.version_id:
        raise StaleEdit()
    _apply_person(session, person, data)
    session.flush()
    return person


def person_for_user(session: Session, user: User) -> Person:
    """The person linked to a user account, created from the account when missing."""
    person = session.scalar(select(Person).where(Person.user_id == user.id))
    if person is None:
        person = create_person(session, None, PersonInput(
            full_name=user.full_name, organisation_id=user.organisation_id, email=user.email,
            user_id=user.id,
        ))
    return person


# ---- project roles ---------------------------------------------------------------------


def _overlaps(valid_from: date, valid_to: date | None):
    """SQL condition: a dated row overlaps the period [valid_from, valid_to]."""

    def condition(model):
        clauses = [or_(model.valid_to.is_(None), model.valid_to >= valid_from)]
        if valid_to is not None:
            clauses.append(model.valid_from <= valid_to)
        return and_(*clauses)

    return condition


def assign_role(session: Session, actor, *, project, person: Person, role: ProjectRoleKind,
                organisation_id: int | None = None, valid_from: date | None = None,
                replace_current: bool = False) -> ProjectRole:
    """Give a person a role in a project, from a date.

    Organisation roles need an owner (project owner) or participating organisation.
    Roles held by one person at a time refuse a second holder, unless
    ``replace_current``: then the current holder's role ends the day before.
    """
    valid_from = valid_from or date.today()
    if role in ORGANISATION_ROLES:
        if organisation_id is None:
            raise RuleViolation(N_("Velg organisasjonen personen har rollen for."),
                                "organisation_id")
        allowed = {o.id for o in (project.owners if role == ProjectRoleKind.PROJECT_OWNER
                                  else project.participants)}
        if organisation_id not in allowed:
            if role == ProjectRoleKind.PROJECT_OWNER:
                raise RuleViolation(N_("Organisasjonen er ikke eier av prosjektet."),
                                    "organisation_id")
            raise RuleViolation(N_("Organisasjonen deltar ikke i prosjektet."),
                                "organisation_id")
    overlapping = _overlaps(valid_from, None)(ProjectRole)
    same_person = session.scalar(
        select(ProjectRole.id).where(
            ProjectRole.project_id == project.id, ProjectRole.person_id == person.id,
            ProjectRole.role == role, ProjectRole.organisation_id.is_(organisation_id)
            if organisation_id is None else ProjectRole.organisation_id == organisation_id,
            overlapping,
        )
    )
    if same_person is not None:
        raise RuleViolation(N_("Personen har allerede denne rollen i prosjektet."), "person_id")
    if role in SINGLE_HOLDER_ROLES:
        stmt = select(ProjectRole).where(
            ProjectRole.project_id == project.id, ProjectRole.role == role, overlapping
        )
        if role == ProjectRoleKind.MUNICIPAL_LEAD:
            stmt = stmt.where(ProjectRole.organisation_id == organisation_id)
        current = list(session.scalars(stmt))
        if current and not replace_current:
            raise RuleViolation(
                N_("Rollen har allerede en innehaver. Kryss av for «Erstatt den som har rollen "
                   "nå» for å bytte; den gamle rollen avsluttes da dagen før."),
                "person_id",
            )
        for holder in current:
            if holder.valid_from >= valid_from:
                raise RuleViolation(
                    N_("Den som har rollen nå, begynte samme dag eller senere. Velg en "
                       "senere fra-dato."),
                    "valid_from",
                )
            holder.valid_to = valid_from - timedelta(days=1)
    assignment = ProjectRole(
        project_id=project.id, person_id=person.id, role=role,
        organisation_id=organisation_id, valid_from=valid_from,
    )
    session.add(assignment)
    session.flush()
    return assignment


def end_role(session: Session, actor, assignment: ProjectRole, valid_to: date) -> None:
    """End a role on a date. The role stays in the record."""
    if assignment.valid_to is not None and assignment.valid_to < date.today():
        raise RuleViolation(N_("Rollen er allerede avsluttet."), "valid_to")
    if valid_to < assignment.valid_from:
        raise RuleViolation(N_("Sluttdatoen kan ikke være før startdatoen."), "valid_to")
    assignment.valid_to = valid_to
    session.flush()


# ---- groups ------------------------------------------------------------------------------


def default_group_name(kind: GroupKind) -> str:
    return {
        GroupKind.STEERING_GROUP: "Styringsgruppe",
        GroupKind.PROJECT_GROUP: "Prosjektgruppe",
        GroupKind.REFERENCE_GROUP: "Referansegruppe",
        GroupKind.WORK_GROUP: "Arbeidsgruppe",
    }[kind]


def create_group(session: Session, actor, *, project, kind: GroupKind, name: str = "",
                 mandate: str = "", deliverables: str = "") -> ProjectGroup:
    if kind in SINGLE_GROUPS and session.scalar(
        select(ProjectGroup.id).where(ProjectGroup.project_id == project.id,
                                      ProjectGroup.kind == kind)
    ) is not None:
        raise RuleViolation(N_("Prosjektet har allerede en slik gruppe."), "kind")
    name = name.strip() or default_group_name(kind)
    group = ProjectGroup(project_id=project.id, kind=kind, name=name,
                         mandate=mandate.strip(), deliverables=deliverables.strip())
    session.add(group)
    session.flush()
    return group


def update_group(session: Session, actor, group: ProjectGroup, *, name: str, mandate: str,
                 deliverables: str, version_id: int) -> ProjectGroup:
    if version_id != group.version_id:
        raise StaleEdit()
    if not name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "name")
    group.name = name.strip()
    group.mandate = mandate.strip()
    group.deliverables = deliverables.strip()
    session.flush()
    return group


def add_member(session: Session, actor, *, group: ProjectGroup, person: Person,
               role: MemberRole, organisation_id: int | None = None,
               valid_from: date | None = None, valid_to: date | None = None) -> GroupMember:
    valid_from = valid_from or date.today()
    if valid_to is not None and valid_to < valid_from:
        raise RuleViolation(N_("Sluttdatoen kan ikke være før startdatoen."), "valid_to")
    already = session.scalar(
        select(GroupMember.id).where(
            GroupMember.group_id == group.id, GroupMember.person_id == person.id,
            _overlaps(valid_from, valid_to)(GroupMember),
        )
    )
    if already is not None:
        raise RuleViolation(N_("Personen er allerede medlem av gruppen i denne perioden."),
                            "person_id")
    member = GroupMember(group_id=group.id, project_id=group.project_id, person_id=person.id,
                         organisation_id=organisation_id, role=role, valid_from=valid_from,
                         valid_to=valid_to)
    session.add(member)
    session.flush()
    return member


def end_member(session: Session, actor, member: GroupMember, valid_to: date) -> None:
    if valid_to < member.valid_from:
        raise RuleViolation(N_("Sluttdatoen kan ikke være før startdatoen."), "valid_to")
    member.valid_to = valid_to
    session.flush()


# ---- responsibilities and the task matrix ----------------------------------------------------


MAX_RESPONSIBILITY_LINES = 30


def set_responsibilities(session: Session, actor, *, project, role_key: str,
                         lines: list[str]) -> list[Responsibility]:
    """Replace what a role is responsible for in the project, one line each."""
    if role_key not in RESPONSIBILITY_KEYS:
        raise RuleViolation(N_("Ukjent rolle."), "role_key")
    cleaned = [line.strip() for line in lines if line.strip()]
    if len(cleaned) > MAX_RESPONSIBILITY_LINES:
        raise RuleViolation(N_("Høyst %(num)d ansvarsområder per rolle."), "lines",
                            num=MAX_RESPONSIBILITY_LINES)
    if any(len(line) > 500 for line in cleaned):
        raise RuleViolation(N_("Hver linje kan ha høyst %(num)d tegn."), "lines", num=500)
    existing = list(session.scalars(
        select(Responsibility).where(Responsibility.project_id == project.id,
                                     Responsibility.role_key == role_key)
        .order_by(Responsibility.position)
    ))
    for position, text in enumerate(cleaned):
        if position < len(existing):
            existing[position].text = text
            existing[position].position = position
        else:
            session.add(Responsibility(project_id=project.id, role_key=role_key, text=text,
                                       position=position))
    for extra in existing[len(cleaned):]:
        session.delete(extra)
    session.flush()
    return cleaned


def add_default_responsibilities(session: Session, project) -> None:
    for role_key, lines in DEFAULT_RESPONSIBILITIES.items():
        for position, text in enumerate(lines):
            session.add(Responsibility(project_id=project.id, role_key=role_key, text=text,
                                       position=position))
    session.flush()


def set_up_organisation(session: Session, project) -> None:
    """A new project gets its steering group, project group and default responsibilities."""
    for kind in (GroupKind.STEERING_GROUP, GroupKind.PROJECT_GROUP):
        create_group(session, None, project=project, kind=kind)
    add_default_responsibilities(session, project)


def add_task(session: Session, actor, *, project, level: TaskLevel, text: str) -> ProjectTask:
    text = text.strip()
    if not text:
        raise RuleViolation(N_("Beskriv oppgaven."), "text")
    if len(text) > 500:
        raise RuleViolation(N_("Teksten kan ha høyst %(max)d tegn."), "text", max=500)
    position = session.scalar(
        select(func.coalesce(func.max(ProjectTask.position), -1) + 1).where(
            ProjectTask.project_id == project.id, ProjectTask.level == level)
    )
    task = ProjectTask(project_id=project.id, level=level, text=text, position=position)
    session.add(task)
    session.flush()
    return task


def delete_task(session: Session, actor, task: ProjectTask) -> None:
    session.delete(task)
    session.flush()


def set_local_task(session: Session, actor, *, project, task: ProjectTask, organisation_id: int,
                   status: LocalTaskStatus, responsible: str, comment: str,
                   version_id: int | None) -> LocalTask:
    """An organisation's own standing on a local task (kept by its municipal lead)."""
    if task.project_id != project.id or task.level != TaskLevel.LOCAL:
        raise RuleViolation(N_("Oppgaven er ikke en lokal oppgave i prosjektet."))
    if organisation_id not in {o.id for o in project.participants}:
        raise RuleViolation(N_("Organisasjonen deltar ikke i prosjektet."), "organisation_id")
    if len(responsible) > 200:
        raise RuleViolation(N_("Teksten kan ha høyst %(max)d tegn."), "responsible", max=200)
    if len(comment) > 1000:
        raise RuleViolation(N_("Teksten kan ha høyst %(max)d tegn."), "comment", max=1000)
    local = session.scalar(
        select(LocalTask).where(LocalTask.task_id == task.id,
                                LocalTask.organisation_id == organisation_id)
    )
    if local is None:
        if version_id not in (None, 0):
            raise StaleEdit()
        local = LocalTask(task_id=task.id, organisation_id=organisation_id,
                          project_id=project.id)
        session.add(local)
    elif version_id != local.version_id:
        raise StaleEdit()
    local.status = status
    local.responsible = responsible.strip()
    local.comment = comment.strip()
    session.flush()
    return local

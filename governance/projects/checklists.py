"""The default checklist of each phase, given to every new project and editable there.

The checkpoints follow the topics of Prosjektveiviseren's decision-point checklists, in the
product's own wording. ``True`` marks a mandatory checkpoint: while it is open, the project
cannot leave the phase. The texts are stored as data in the project (in bokmål) and edited there.
"""

from __future__ import annotations

from governance.errors import N_, Term
from governance.projects.models import DecisionPoint, Phase

# The phases' names as message parameters (translated where the message is shown).
PHASE_NAMES: dict[Phase, Term] = {
    Phase.IDEA: Term(N_("Idé")),
    Phase.CONCEPT: Term(N_("Konsept")),
    Phase.PLANNING: Term(N_("Planlegge")),
    Phase.EXECUTION: Term(N_("Gjennomføre")),
    Phase.CLOSING: Term(N_("Avslutte")),
    Phase.REALISATION: Term(N_("Realisere")),
}

DEFAULT_CHECKPOINTS: dict[Phase, list[tuple[str, bool]]] = {
    Phase.IDEA: [
        ("Problemet eller behovet er beskrevet", True),
        ("Det er avklart hvordan konseptutredningen skal finansieres", True),
        ("Det er vurdert om dette skal være et prosjekt eller en linjeoppgave", False),
        ("Idéen passer med virksomhetens strategi", False),
        ("Vi vet om vi trenger mer informasjon før vi går videre", False),
        ("Politiske og juridiske føringer er kjent", False),
        ("Mandat for konseptfasen er skrevet", True),
    ],
    Phase.CONCEPT: [
        ("Tiltaket er realistisk og gjennomførbart", True),
        ("Prosjektstyret eller styringsgruppen er satt sammen", False),
        ("Rollebeskrivelser for prosjekteier og gevinstansvarlig finnes", False),
        ("Tiltaket støtter virksomhetens mål og strategi", False),
        ("Alternativer er vurdert med kostnader og gevinster", True),
        ("Prosjektleder og nøkkelpersoner er utpekt", True),
        ("Nødvendige ressurser er satt av", False),
        ("Et første prosjektforslag med begrunnelse er signert av prosjekteier", True),
    ],
    Phase.PLANNING: [
        ("Tiltaket er fortsatt ønsket og i tråd med strategien", False),
        ("Resultatmål og leveranser henger sammen med ønskede endringer og gevinster", False),
        ("Planen er helhetlig og delt i håndterbare faser", False),
        ("Strategier for innføring, kvalitet og anskaffelser er beskrevet", False),
        ("Interessentanalysen er gjort", True),
        ("Organisering, roller og ressurser er avklart", False),
        ("Usikkerheten er analysert og vurdert som akseptabel", True),
        ("Kritiske suksessfaktorer er kjent", False),
        ("Gevinstrealiseringsplanen er avtalt med gevinstansvarlig", True),
        ("Linjens evne til å ta ut gevinstene er vurdert", False),
        ("Styringsdokumentet er signert", True),
    ],
    Phase.EXECUTION: [
        ("Leveransene svarer til resultatmålene og planen", True),
        ("Gjenstående arbeid er kartlagt", False),
        ("Gevinstansvarlig mener gevinstene fortsatt er realistiske, og planen er oppdatert",
         False),
        ("Linjen er klar: opplæring, brukerdokumentasjon og driftsrutiner", True),
        ("Det er avklart hvem som følger opp og rapporterer effektene", False),
        ("Eierskap til drift og forvaltning er avklart, med avtaler", True),
        ("Prosjektleder har anbefalt å avslutte prosjektet", True),
    ],
    Phase.CLOSING: [
        ("Gjenstående arbeid er avsluttet eller overført til linjen", True),
        ("Hovedresultatene er dokumentert: produkt, kostnad, tid, kvalitet og ressurser", False),
        ("Erfaringer er dokumentert", False),
        ("Dokumentene er arkivert", False),
        ("Kontrakter er avsluttet", False),
        ("Interessentene er informert", False),
        ("Gevinstrealiseringsplanen er oppdatert", False),
        ("Sluttrapporten er skrevet", True),
    ],
    Phase.REALISATION: [
        ("Planlagte målinger og tiltak er gjennomført", True),
        ("Gevinstene er tatt ut, eller det finnes en plan for flere tiltak", True),
    ],
}

PHASE_ORDER: list[Phase] = [
    Phase.IDEA, Phase.CONCEPT, Phase.PLANNING, Phase.EXECUTION, Phase.CLOSING, Phase.REALISATION,
]

# Each decision point approves leaving the first phase for the second; BP6 ends realisation.
DECISION_POINT_PHASES: dict[DecisionPoint, tuple[Phase, Phase | None]] = {
    DecisionPoint.BP1: (Phase.IDEA, Phase.CONCEPT),
    DecisionPoint.BP2: (Phase.CONCEPT, Phase.PLANNING),
    DecisionPoint.BP3: (Phase.PLANNING, Phase.EXECUTION),
    DecisionPoint.BP4: (Phase.EXECUTION, Phase.CLOSING),
    DecisionPoint.BP5: (Phase.CLOSING, Phase.REALISATION),
    DecisionPoint.BP6: (Phase.REALISATION, None),
}


def next_phase(phase: Phase) -> Phase | None:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

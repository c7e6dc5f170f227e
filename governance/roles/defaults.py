"""Default responsibilities of each role, after Prosjektveiviseren and the seed's
"Roller og ansvar". A project gets a copy it can edit."""

from __future__ import annotations

# role_key -> lines. The keys are the project roles and the kinds of groups.
DEFAULT_RESPONSIBILITIES: dict[str, list[str]] = {
    "project_owner": [
        "Beslutter oppstart, videreføring og avslutning av prosjektet",
        "Sørger for finansieringen",
        "Påser at styrende dokumenter blir fulgt",
        "Sørger for at gevinstene blir realisert",
    ],
    "steering_group": [
        "Sørger for at prosjekteiernes behov blir ivaretatt",
        "Kan beslutte endringer i prosjektets innhold, organisering og budsjett på vegne av "
        "prosjekteierne",
        "Påser at prosjektlederen har kontroll over framdriften",
        "Påser at prosjekteierne tar sitt ansvar",
    ],
    "project_leader": [
        "Kommuniserer med alle parter",
        "Rapporterer framdrift og ressursbruk til styringsgruppen",
        "Bruker metodens styringsprodukter (Prosjektveiviseren)",
        "Legger til rette for analyse- og forbedringsarbeid",
        "Organiserer felles opplæring",
    ],
    "project_group": [
        "Sørger for framdrift i egen kommune eller region i tråd med framdriftsplanen",
        "Er sparringspartner og rådgiver for prosjektlederen",
        "Bidrar til å samordne opplæring",
    ],
    "municipal_lead": [
        "Gjør nødvendig analysearbeid i egen kommune",
        "Gjennomfører endringer i rutiner, for eksempel for bestilling, ordremottak og godkjenning",
        "Sørger for at forutsetningene for prosjektet er på plass i kommunen",
        "Er kontaktpunkt mellom prosjektlederen og kommunens egen prosjekteier",
        "Rapporterer status, målinger og milepæler for egen kommune",
    ],
    "work_group": [
        "Gir faglige innspill, eller innspill på vegne av brukerne",
        "Løser arbeidsoppgavene i mandatet og leverer det som er avtalt",
    ],
    "benefit_responsible": [
        "Er ansvarlig i linjen for at gevinstene blir tatt ut",
        "Er med på å utarbeide og godkjenne gevinstrealiseringsplanen",
        "Vurderer om gevinstene fortsatt er realistiske ved hvert beslutningspunkt",
    ],
    "benefit_owner": [
        "Sørger for at gevinstene blir realisert i egen virksomhet",
        "Sørger for at målinger blir gjort og registrert etter planen",
    ],
}

RESPONSIBILITY_KEYS = tuple(DEFAULT_RESPONSIBILITIES)

"""About 30 published good practices across the themes, focus areas, target groups and counties.

Four come from the accepted demo submissions whose submitters consented (published the way an
editor would: copied, then published); the rest were written directly. The vocabulary is varied
on purpose (plurals, compounds, genitives) so the search demo shows what Norwegian search finds.
Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from samspill.accounts.models import User
from samspill.calls.models import Submission
from samspill.calls.review import set_status
from samspill.core.text import norwegian_slugify
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.practices import search, services
from samspill.practices.models import Practice
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

EDITOR = "redaktor@demo.samspill.no"
COORDINATOR = "koordinator@demo.samspill.no"
SEED_CALL = "frivillighetsstrategi-helse-og-omsorg"
# Accepted in the demo so that four submissions are published (the calls demo accepts three).
ALSO_ACCEPTED = "Besøksvenner på sykehjem"

RECRUIT, COOPERATE, ORGANISE, FRAMEWORK = (
    "rekruttering-og-oppfolging",
    "samspill-og-samarbeid",
    "organisering-og-koordinering",
    "rammebetingelser",
)

# (title, summary, what, how, results, lessons, themes, focus areas, target groups,
#  municipality numbers, organisation slugs, evidence level, adopted by)
PRACTICES: list[tuple] = [
    (
        "Besøksvenn for eldre på sykehjem",
        "Frivillige besøksvenner kommer fast hver uke til beboere på sykehjemmene som har få besøkende.",
        "Trondheim kommune og frivillige organisasjoner rekrutterer besøksvenner til alle sykehjem i byen.",
        "Sykehjemmet melder behov, frivilligkoordinatoren matcher beboer og besøksvenn etter interesser.",
        "Over 120 besøksvenner er i gang; beboerne forteller om mindre ensomhet og mer å glede seg til.",
        "Et kurs før første besøk og en fast kontakt på avdelingen gjør at de frivillige blir værende.",
        [RECRUIT],
        ["grupper-som-faller-utenfor"],
        ["eldre"],
        ["5001"],
        [],
        "measured",
        14,
    ),
    (
        "Helsetjenestene og frivilligsentralen i samarbeid",
        "Hjemmetjenesten, helsestasjonen og frivilligsentralen har faste møter og en felles oversikt over behov.",
        "En samarbeidsavtale mellom de kommunale helsetjenestene og frivilligsentralen i Steinkjer.",
        "Hver måned møtes ansatte og frivillige for å fordele oppdrag: handlehjelp, følge, turer og besøk.",
        "Flere hjemmeboende eldre får hjelp, og ansatte i helsetjenesten bruker mindre tid på å lete etter tilbud.",
        "Avtalen må fornyes hvert år, og begge parter trenger en navngitt kontaktperson.",
        [COOPERATE, ORGANISE],
        [],
        ["eldre", "kroniske-lidelser"],
        ["5006"],
        [],
        "evaluated",
        9,
    ),
    (
        "Turvenner",
        "Turvenner går faste turer sammen med folk som sliter psykisk og trenger noen å gå sammen med.",
        "Frivillige turvenner og deltakere går sammen to ganger i uka i og rundt Bodø.",
        "Psykisk helsetjeneste henviser deltakere; turlaget står for ruter, utstyr og opplæring av turvennene.",
        "Deltakerne kommer seg oftere ut, og mange fortsetter å gå på egen hånd etter et halvt år.",
        "Korte, faste turer på samme tid hver uke senker terskelen for å bli med.",
        [RECRUIT],
        ["fysisk-aktivitet"],
        ["rus-og-psykisk-helse"],
        ["1804"],
        [],
        "described",
        6,
    ),
    (
        "Leksehjelp med middag",
        "Barn og foreldre får leksehjelp og spiser middag sammen med frivillige to kvelder i uka.",
        "Frivillige leksehjelpere og kokker i bydelene i Oslo tilbyr leksehjelp og et sunt måltid.",
        "Skolen og helsesykepleier formidler kontakt med familiene; maten handles inn med støtte fra bydelen.",
        "Elevene leverer flere lekser, og foreldrene får et nettverk i nabolaget.",
        "Middagen er det som får familiene til å komme; leksehjelpen er det som får dem til å bli.",
        [COOPERATE],
        ["barn-og-unge", "sunn-mat", "motvirke-fattigdom"],
        ["utsatte-barn-og-unge"],
        ["0301"],
        [],
        "measured",
        21,
    ),
    (
        "Digital hjelp for eldre",
        "Ungdom og pensjonister hjelper eldre med nettbank, Helsenorge og videosamtaler med familien.",
        "Drop-in med digital hjelp hver tirsdag på biblioteket i Lillehammer.",
        "Frivillige får et kort kurs i personvern; biblioteket låner ut nettbrett og har fast åpningstid.",
        "Eldres bruk av digitale helsetjenester har økt, og mange tar med seg en venn neste gang.",
        "Tålmodighet og god tid er viktigere enn tekniske kunnskaper hos de frivillige.",
        [RECRUIT],
        [],
        ["eldre"],
        ["3405"],
        [],
        "described",
        17,
    ),
    (
        "Frivilligkoordinator i hver bydel",
        "Hver bydel har en frivilligkoordinator som kobler frivillige med oppdrag i helse- og omsorgstjenestene.",
        "Oslo kommune har ansatt frivilligkoordinatorer som er bindeledd mellom bydelen og frivilligheten.",
        "Koordinatoren holder oversikt over frivillige oppdrag, rekrutterer og følger opp de frivillige.",
        "Antallet frivillige i omsorgstjenestene er doblet på tre år i bydelene som startet først.",
        "Koordinatoren må ha mandat til å si ja på vegne av tjenestene, ellers stopper det opp.",
        [ORGANISE],
        [],
        ["eldre", "kroniske-lidelser"],
        ["0301"],
        [],
        "evaluated",
        11,
    ),
    (
        "Matglede på sykehjemmet",
        "Frivillige lager middag sammen med beboerne og gjør måltidet til et sosialt høydepunkt.",
        "Hamar kommune og frivillige lag har måltidsvenner på sykehjemmene i helgene.",
        "Frivillige dekker bord, lager mat og spiser sammen med beboerne; kjøkkenet sørger for råvarene.",
        "Beboerne spiser mer, og underernæring er redusert på avdelingene som er med.",
        "Faste vakter hver helg gjør det lettere for de frivillige å planlegge.",
        [RECRUIT],
        ["sunn-mat"],
        ["eldre"],
        ["3403"],
        [],
        "measured",
        5,
    ),
    (
        "Aktivitetsvenn for personer med demens",
        "En aktivitetsvenn gjør hyggelige ting sammen med en person med demens, ute eller hjemme.",
        "Opplæring av aktivitetsvenner i Kristiansand etter et nasjonalt kursopplegg.",
        "Demenskoordinatoren matcher person og aktivitetsvenn etter felles interesser som fotball, fiske eller sang.",
        "Pårørende får avlastning, og personene med demens holder seg lenger aktive.",
        "Et kveldskurs på fire timer er nok til å komme i gang; oppfølgingen etterpå er det som teller.",
        [RECRUIT],
        ["fysisk-aktivitet"],
        ["eldre", "kroniske-lidelser"],
        ["4204"],
        [],
        "evaluated",
        25,
    ),
    (
        "Sommerjobb som ungdomsfrivillig på sykehjem",
        "Ungdommer får sommerjobb som aktivitører og blir frivillige på sykehjemmet resten av året.",
        "Arendal kommune gir ungdom en betalt sommerjobb med turer, spill og samtaler med beboerne.",
        "Ungdommene rekrutteres gjennom skolene; en ansatt følger dem opp og inviterer til frivillighet etterpå.",
        "Halvparten av ungdommene fortsetter som frivillige, og flere har søkt helsefag.",
        "Ungdommer trenger konkrete oppgaver og en voksen som ser dem.",
        [RECRUIT],
        ["barn-og-unge"],
        ["eldre"],
        ["4203"],
        [],
        "described",
        4,
    ),
    (
        "Frivillighetspolitisk plattform med lokal avtale",
        "Kommunen og de frivillige organisasjonene har en felles plattform med forpliktelser på begge sider.",
        "Gjøvik kommune vedtok en frivillighetspolitisk plattform utarbeidet sammen med lag og foreninger.",
        "Plattformen ble skrevet i folkemøter og følges opp i et årlig dialogmøte med frivilligheten.",
        "Tydeligere forventninger, enklere søknader og færre misforståelser om roller.",
        "Planen må eies av både politikere og lag, ellers blir den et dokument i en skuff.",
        [FRAMEWORK, COOPERATE],
        [],
        [],
        ["3407"],
        [],
        "described",
        8,
    ),
    (
        "Felles frivillighetsbørs",
        "En digital oversikt over frivillige oppdrag der innbyggere melder seg på kort, avgrenset innsats.",
        "Tromsø kommune og frivilligsentralen driver en frivillighetsbørs for hele kommunen.",
        "Lag og tjenester legger ut oppdrag; frivillige melder seg på enkeltvakter uten fast forpliktelse.",
        "Nye grupper av frivillige, særlig studenter og yngre voksne, har kommet til.",
        "Korte oppdrag rekrutterer folk som aldri ville meldt seg til noe fast.",
        [ORGANISE, RECRUIT],
        [],
        [],
        ["5501"],
        [],
        "measured",
        12,
    ),
    (
        "Trening i friluft for folk med KOLS",
        "Likepersoner leder utendørs treningsgrupper for personer med KOLS og andre lungesykdommer.",
        "Narvik kommune og en pasientforening samarbeider om trening i friluft hele året.",
        "Fysioterapeuter lærer opp likepersoner som selv har KOLS; gruppene møtes to ganger i uka.",
        "Deltakerne har bedre gangavstand og færre innleggelser enn før.",
        "Likepersonene forstår deltakernes hverdag på en måte helsepersonell ikke kan.",
        [RECRUIT, COOPERATE],
        ["fysisk-aktivitet"],
        ["kroniske-lidelser"],
        ["1806"],
        [],
        "evaluated",
        7,
    ),
    (
        "Mentorordning for nyankomne flyktninger",
        "Frivillige mentorer hjelper nyankomne flyktninger med å finne fram i helsetjenestene og lokalsamfunnet.",
        "Kristiansand kommune og Røde Kors kobler flyktninger med en frivillig mentor det første året.",
        "Introduksjonsprogrammet melder behov; mentorene får opplæring i kultur, helse og taushetsplikt.",
        "Deltakerne bruker fastlegen riktigere og deltar mer i fritidsaktiviteter.",
        "Mentoren skal være en venn, ikke en saksbehandler.",
        [COOPERATE],
        ["integrering-og-inkludering"],
        ["innvandrergrupper"],
        ["4204"],
        [],
        "measured",
        10,
    ),
    (
        "Kvinnegruppe med helsetema",
        "Innvandrerkvinner møtes ukentlig og snakker om helse, kosthold og rettigheter med helsesykepleier.",
        "Drammen kommune og en frivillig kvinneforening driver en møteplass med helsetema.",
        "Helsesykepleier og tolk deltar hver måned; resten av møtene drives av frivillige likepersoner.",
        "Flere kvinner går til screening og oppsøker helsestasjonen tidligere.",
        "Barnepass under møtene avgjør om mødrene kan komme.",
        [COOPERATE],
        ["integrering-og-inkludering", "utjevne-sosiale-helseforskjeller"],
        ["innvandrergrupper"],
        ["3301"],
        [],
        "described",
        6,
    ),
    (
        "Lavterskel møteplass for folk i rus",
        "En møteplass med varm mat, samtaler og krisehjelp for mennesker med rus- og psykiske helseutfordringer.",
        "Gatefellesskapet i Bergen holder åpent hver kveld i samarbeid med kommunens rustjeneste.",
        "Frivillige og erfaringskonsulenter står i kafeen; rustjenesten har fast kontortid der to dager i uka.",
        "Flere tar kontakt med behandling, og færre havner i akuttmottaket.",
        "Erfaringskonsulenter bygger tillit raskere enn noen andre.",
        [COOPERATE],
        ["grupper-som-faller-utenfor", "tobakk-og-rusforebygging"],
        ["rus-og-psykisk-helse"],
        ["4601"],
        ["gatefellesskapet-bergen"],
        "measured",
        9,
    ),
    (
        "Fritidskassen: aktivitetsmidler uten søknadsskjema",
        "Lag kan få små beløp til kontingent og utstyr for barn i familier med lav inntekt, uten tungt skjema.",
        "Trondheim kommune gir idrettslag og kor en pott de deler ut etter en enkel samtale med familien.",
        "Laget avgjør selv og rapporterer bare antall barn og sum én gang i året.",
        "Flere barn fra familier med lav inntekt deltar i fritidsaktiviteter.",
        "Tillit til lagene gjør ordningen billig å drive.",
        [FRAMEWORK],
        ["barn-og-unge", "motvirke-fattigdom"],
        ["utsatte-barn-og-unge"],
        ["5001"],
        [],
        "evaluated",
        19,
    ),
    (
        "Bydelsmødre",
        "Kvinner med innvandrerbakgrunn blir bydelsmødre og veileder andre kvinner om helse og rettigheter.",
        "Bydelsmødre i Oslo får kurs og oppfølging fra bydelen og en frivillig organisasjon.",
        "Bydelsmødrene oppsøker kvinner i nettverket sitt og følger dem til helsestasjon, NAV og skole.",
        "Evalueringen viser økt kunnskap om helsetjenestene og mindre isolasjon blant kvinnene.",
        "Bydelsmødrene må få betalt kurs og en koordinator; resten er frivillig.",
        [COOPERATE, RECRUIT],
        ["integrering-og-inkludering", "utjevne-sosiale-helseforskjeller"],
        ["innvandrergrupper"],
        ["0301"],
        [],
        "evaluated",
        23,
    ),
    (
        "Følgevenner til sykehus og legetime",
        "Frivillige følgevenner blir med eldre og syke til lege, sykehus og tannlege.",
        "Levanger frivilligsentral formidler følgevenner i samarbeid med sykehuset og hjemmetjenesten.",
        "Hjemmetjenesten bestiller følge; frivilligsentralen finner en følgevenn og dekker reiseutgifter.",
        "Færre avlyste timer, og pasientene føler seg tryggere.",
        "Følgevennen skal ikke tolke helseopplysninger, bare være en trygg person ved siden av.",
        [ORGANISE],
        [],
        ["eldre", "kroniske-lidelser"],
        ["5037"],
        [],
        "described",
        13,
    ),
    (
        "Tilskudd til frivillige lag med enkel rapportering",
        "Én søknad i året og en rapport på én side: frivillige lag bruker tiden på aktivitet, ikke skjema.",
        "Elverum kommune har slått sammen tilskuddsordningene for frivillige lag til én enkel ordning.",
        "Lagene søker i et kort nettskjema; kommunen svarer innen fire uker.",
        "Flere små lag søker, og saksbehandlingstiden er halvert.",
        "Forenkling må gjøres sammen med lagene, ikke for dem.",
        [FRAMEWORK],
        [],
        [],
        ["3420"],
        [],
        "described",
        15,
    ),
    (
        "Middagsfellesskap for eldre som bor alene",
        "Eldre som bor alene spiser middag sammen på frivilligsentralen hver onsdag.",
        "Stord kommune og frivillige lager et sunt og rimelig måltid for hjemmeboende eldre.",
        "Hjemmetjenesten tipser om hvem som kan ha glede av tilbudet; frivillige henter dem som trenger skyss.",
        "Deltakerne spiser bedre, og mange har fått nye venner.",
        "Skyss er nøkkelen for dem som bor utenfor sentrum.",
        [RECRUIT, COOPERATE],
        ["sunn-mat", "grupper-som-faller-utenfor"],
        ["eldre"],
        ["4614"],
        ["stord-kommune"],
        "described",
        8,
    ),
    (
        "Fotballag for alle",
        "Gratis trening for barn og unge som faller utenfor organisert idrett, med frivillige trenere.",
        "Bergen Idrettslag for alle driver fotballtrening der ingen betaler og alle får være med.",
        "Frivillige trenere får trenerkurs; utstyr lånes ut fra en utstyrsbod.",
        "Over 200 barn har vært med, mange fra familier med lav inntekt.",
        "Faste trenere som kjenner barna er viktigere enn gode baner.",
        [RECRUIT],
        ["barn-og-unge", "fysisk-aktivitet", "motvirke-fattigdom"],
        ["utsatte-barn-og-unge"],
        ["4601"],
        ["bergen-idrettslag-for-alle"],
        "measured",
        16,
    ),
    (
        "Innovasjonslab for frivillige og ansatte i helsetjenesten",
        "Ansatte, brukere og frivillige utvikler nye tiltak sammen i en kommunal innovasjonslab.",
        "Stavanger kommune inviterer til verksteder der frivillige og ansatte tester nye ideer i liten skala.",
        "Hver idé får tre måneder og et lite budsjett; det som virker, blir en del av tjenestene.",
        "Fire nye tilbud er videreført, blant annet en nattvandring og en sorggruppe.",
        "Små forsøk gjør det lett å si ja og lett å stoppe.",
        [FRAMEWORK],
        [],
        [],
        ["1103"],
        [],
        "described",
        3,
    ),
    (
        "Likepersoner for pårørende til rusavhengige",
        "Pårørende som selv har erfaring, støtter andre pårørende til mennesker med rusproblemer.",
        "Rana kommune og en pårørendeorganisasjon tilbyr samtalegrupper og likepersoner.",
        "Rustjenesten informerer om tilbudet; likepersonene får veiledning av en ansatt.",
        "Pårørende opplever mindre skam og søker hjelp tidligere.",
        "Likepersonene trenger selv et sted å lette på trykket.",
        [RECRUIT],
        ["tobakk-og-rusforebygging"],
        ["rus-og-psykisk-helse"],
        ["1833"],
        [],
        "described",
        5,
    ),
    (
        "Nettverk for frivilligsentralene i fylket",
        "Frivilligsentralene i Vestland møtes jevnlig, deler erfaringer og koordinerer rekruttering av frivillige.",
        "Vestland fylkeskommune driver et nettverk for frivilligsentraler og frivillighetskoordinatorer.",
        "Fire samlinger i året og en felles kanal for spørsmål; fylkeskommunen dekker reisene.",
        "Sentralene kopierer hverandres gode tiltak, og nye koordinatorer kommer raskere i gang.",
        "Nettverket må ha en fast vert, ellers dør det ut.",
        [ORGANISE],
        [],
        [],
        ["4601", "4621", "4614", "4627"],
        ["vestland-fylkeskommune", "frivilligsentralen-i-voss"],
        "described",
        12,
    ),
    (
        "Trygghetsvenner i hjemmetjenesten",
        "Trygghetsvenner ringer eller besøker hjemmeboende eldre som er redde for å være alene.",
        "Vefsn kommune og frivilligsentralen har en telefon- og besøkstjeneste for hjemmeboende.",
        "Hjemmetjenesten foreslår hvem som trenger en trygghetsvenn; de frivillige ringer hver dag på fast tid.",
        "Færre bekymringsmeldinger og færre akutte utrykninger til de som er med.",
        "En telefonsamtale hver morgen er en liten innsats med stor virkning.",
        [ORGANISE, RECRUIT],
        ["grupper-som-faller-utenfor"],
        ["eldre", "kroniske-lidelser"],
        ["1824"],
        [],
        "measured",
        7,
    ),
    (
        "Sykling uten alder",
        "Frivillige piloter sykler eldre beboere rundt i nærmiljøet i rickshaw.",
        "Ålesund kommune har rickshawer ved sykehjemmene og frivillige piloter fra hele byen.",
        "Pilotene får opplæring og booker turer i en felles kalender; sykehjemmet velger ut passasjerer.",
        "Beboerne kommer ut i frisk luft og forteller om gamle minner underveis.",
        "Vind i håret slår det meste; ha pledd og regntøy klart.",
        [RECRUIT],
        ["fysisk-aktivitet"],
        ["eldre"],
        ["1508"],
        [],
        "described",
        20,
    ),
    (
        "Brukerstyrt kafé for psykisk helse",
        "En kafé drevet av brukere av psykiske helsetjenester, åpen for alle som trenger et sted å være.",
        "Grimstad kommune støtter en brukerstyrt kafé med husleie og en ansatt i halv stilling.",
        "Brukerne lager menyen og aktivitetene; kommunens psykiske helsetjeneste har faste besøk.",
        "Brukerne opplever mestring, og flere er kommet i arbeidstrening.",
        "Brukerne må få styre selv, også når det går tregere.",
        [COOPERATE],
        ["grupper-som-faller-utenfor"],
        ["rus-og-psykisk-helse"],
        ["4202"],
        [],
        "described",
        4,
    ),
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _from_submissions(editor: User | None) -> None:
    """Publish the seed call's accepted submissions whose submitters consented."""
    submissions = Submission.objects.filter(call__slug=SEED_CALL)
    extra = submissions.filter(title=ALSO_ACCEPTED, consent_to_publish=True).exclude(status="accepted").first()
    if extra is not None and editor is not None:
        set_status(submission=extra, status=Submission.Status.ACCEPTED, by=editor)
    for submission in submissions.filter(status=Submission.Status.ACCEPTED, consent_to_publish=True).order_by("pk"):
        if Practice.objects.filter(source_submission=submission).exists():
            continue
        practice = services.create_from_submission(submission=submission, by=editor)
        services.publish(practice=practice, by=editor)


def load() -> None:
    editor = _user(EDITOR)
    _from_submissions(editor)
    now = timezone.now()
    for i, row in enumerate(PRACTICES):
        title, summary, what, how, results, lessons, themes, areas, groups, numbers, orgs, evidence, adopted = row
        if Practice.objects.filter(slug=norwegian_slugify(title)).exists():
            continue
        values = {
            "title": title,
            "summary": summary,
            "what": what,
            "why": "For å redusere ensomhet, styrke sosiale nettverk og bruke samfunnets samlede ressurser.",
            "for_whom": summary,
            "how": how,
            "resources": "En koordinator i deltidsstilling, lokaler og en liten driftspott.",
            "results": results,
            "lessons": lessons,
            "themes": Theme.objects.filter(slug__in=themes),
            "focus_areas": FocusArea.objects.filter(slug__in=areas),
            "target_groups": TargetGroup.objects.filter(slug__in=groups),
            "municipalities": Municipality.objects.filter(number__in=numbers),
            "organisations": Organisation.objects.filter(slug__in=orgs),
            "evidence_level": evidence,
        }
        practice = services.create_practice(values=values, by=editor)
        practice = services.publish(practice=practice, by=editor)
        # Spread over the last year, so that "newest" and "most adopted" sort differently.
        Practice.objects.filter(pk=practice.pk).update(
            published_at=now - timedelta(days=11 * i + 3), adoption_count=adopted
        )
        practice.refresh_from_db()
        search.index_practice(practice)
    _proposal()


def _proposal() -> None:
    """One proposal from Bergen's coordinator, waiting for the editors."""
    coordinator = _user(COORDINATOR)
    title = "Seniorkafé med helsesjekk"
    if coordinator is None or Practice.objects.filter(title=title).exists():
        return
    services.propose(
        values={
            "title": title,
            "summary": "Pensjonister møtes til kaffe, og en sykepleier måler blodtrykk og svarer på spørsmål.",
            "what": "Bergen kommune og Besøksvenner Bergen holder seniorkafé på bydelshuset hver fredag.",
            "themes": Theme.objects.filter(slug=COOPERATE),
            "target_groups": TargetGroup.objects.filter(slug="eldre"),
            "municipalities": Municipality.objects.filter(number="4601"),
            "organisations": Organisation.objects.filter(slug__in=["bergen-kommune", "besoksvenner-bergen"]),
        },
        by=coordinator,
    )

"""Interface strings, one catalog a language; `language` in site.yaml picks one (English if absent)."""

from __future__ import annotations

EN = {
    "months": ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"),
    "credit": "Credit", "licence": "Licence", "image_from": "From", "view_post": "View the post", "post": "Post",
    "exports": "Data", "feed": "Feed", "calendar": "Calendar", "read_more": "Full entry with its notes",
    "known_to_month": "date known only to the month", "known_to_year": "date known only to the year",
    "skip": "Skip to content", "timeline": "Timeline", "sources": "Sources", "tags": "Tags",
    "places": "Places", "actors": "Actors", "notes": "Notes", "cited_by": "Cited by",
    "place": "Place", "previous": "Previous event", "next": "Next event", "accounts_differ": "Accounts differ",
    "claimed_by": "According to", "range": "Figures range from {low} to {high}.", "disputed": "disputed",
    "published": "published", "accessed": "accessed", "archived": "archived copy",
    "back_to_citation": "Back to citation", "not_found": "Page not found",
    "not_found_text": "There is no page at this address. The timeline starts on the home page.",
    "events_count": "{n} events", "event_count": "{n} event", "also_written": "Also written",
    "events_per_year": "Events in each year",
    "draft": "Draft", "no_sources": "No event cites a source yet.", "in_timeline": "In the timeline",
    "main_nav": "Main", "event_nav": "Previous and next events", "quote": "Quote",
    "all_events": "All events", "generator": "Made with Dateline", "day_not_given": "{month} {year}, day not given",
    "month_not_given": "{year}, month not given",
    "note": "Note", "notes_count": "Sources for this event", "in_bibliography": "In the bibliography",
    "circa": "c. {}", "thousands_sep": ",", "decimal_sep": ".", "quoted": "“{}”",
    "filter_events": "Filter the events", "search": "Search", "tag": "Tag", "actor": "Actor", "year": "Year",
    "all_tags": "All tags", "all_places": "All places", "all_actors": "All actors", "all_years": "All years",
    "show_all": "Show all events", "shown_count": "{n} of {total} events shown",
    "shown_one": "1 of {total} events shown", "shown_none": "No event matches; {total} events in all",
    "shown_one_of_one": "1 of 1 event shown", "shown_none_of_one": "No event matches; 1 event in all",
    "cited_sources": "Sources cited",
    "accounts": "Accounts", "figure": "Figure", "figure_range": "{} to {}", "accounts_csv": "CSV (accounts)",
    "q_at_least": "at least {}", "q_more_than": "more than {}", "q_about": "about {}",
    "q_exactly": "exactly {}", "q_almost": "almost {}", "q_up_to": "up to {}",
    "plural_one": (1,),   # the counts that take the singular: "1 event", "0 events"
    "corrections": "Corrections", "corrections_feed": "Corrections feed", "corrections_of": "{} — corrections",
    "correction_to": "Corrected: {}", "correction_why": "Why", "updated": "Updated",
    "developing": "Developing story", "no_corrections": "No entry has been corrected.",
    "corrections_intro": "Changes made to entries after they were published, newest first.",
    "archived_from": "Archived from", "the_original": "the original", "on_date": "on", "dead_link": "dead link",
    "ov_label": "Overview", "ov_caption": "{n} from {start} to {end}.", "ov_busiest": "Busiest month: {month}, {n}.",
    "ov_counted": "Drawn as the number of events per {unit}.",
    "ov_units": "day|week|month|year|decade|century",
    "ov_point": "known to the day", "ov_month": "known to the month", "ov_year": "known to the year",
    "ov_span": "from start to end", "ov_approximate": "approximate or uncertain", "ov_count": "events per {unit}",
    # static/overview.js's words, |-separated: buttons, fields, the keys' help, the status
    "ov_script": "Zoom in|Zoom out|Earlier|Later|From|To|Whole period|Drag across the overview, or use the "
                 "arrow keys on it, to choose a period (Shift with the arrows moves its end; + and − zoom).|"
                 "Period|{n} of {total} events in the period",
}

FR = {
    "months": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre"),
    "credit": "Crédit", "licence": "Licence", "image_from": "Source", "view_post": "Voir la publication",
    "post": "Publication",
    "exports": "Données", "feed": "Flux", "calendar": "Agenda", "read_more": "L'entrée complète et ses notes",
    "known_to_month": "date connue seulement au mois près", "known_to_year": "date connue seulement à l'année près",
    "skip": "Aller au contenu", "timeline": "Chronologie", "sources": "Sources", "tags": "Thèmes",
    "places": "Lieux", "actors": "Acteurs", "notes": "Notes", "cited_by": "Cité par",
    "place": "Lieu", "previous": "Événement précédent", "next": "Événement suivant",
    "accounts_differ": "Les versions divergent", "claimed_by": "Selon",
    "range": "Les chiffres vont de {low} à {high}.", "disputed": "contesté", "published": "publié le",
    "accessed": "consulté le", "archived": "copie archivée", "back_to_citation": "Retour à la citation",
    "not_found": "Page introuvable",
    "not_found_text": "Il n'y a pas de page à cette adresse. La chronologie commence à l'accueil.",
    "events_per_year": "Événements par année",
    "events_count": "{n} événements", "event_count": "{n} événement", "also_written": "Autres graphies",
    "draft": "Brouillon", "no_sources": "Aucun événement ne cite encore de source.",
    "in_timeline": "Dans la chronologie", "main_nav": "Principal", "event_nav": "Événements précédent et suivant",
    "quote": "Citation", "all_events": "Tous les événements", "generator": "Fait avec Dateline",
    "day_not_given": "{month} {year}, jour non précisé", "month_not_given": "{year}, mois non précisé",
    "note": "Note", "notes_count": "Sources de cet événement",
    "in_bibliography": "Dans la bibliographie",
    "circa": "vers {}", "thousands_sep": "\u202f", "decimal_sep": ",", "quoted": "«\u00a0{}\u00a0»",
    "filter_events": "Filtrer les événements", "search": "Rechercher", "tag": "Thème", "actor": "Acteur",
    "year": "Année", "all_tags": "Tous les thèmes", "all_places": "Tous les lieux",
    "all_actors": "Tous les acteurs", "all_years": "Toutes les années", "show_all": "Afficher tous les événements",
    "shown_count": "{n} événements affichés sur {total}", "shown_one": "1 événement affiché sur {total}",
    "shown_none": "Aucun événement ne correspond ; {total} au total", "cited_sources": "Sources citées",
    "accounts": "Versions", "figure": "Chiffre", "figure_range": "{} à {}", "accounts_csv": "CSV (versions)",
    "q_at_least": "au moins {}", "q_more_than": "plus de {}", "q_about": "environ {}",
    "q_exactly": "exactement {}", "q_almost": "près de {}", "q_up_to": "jusqu'à {}",
    "shown_one_of_one": "1 événement affiché sur 1", "shown_none_of_one": "Aucun événement ne correspond ; 1 au total",
    "plural_one": (0, 1),  # « 0 événement », « 1 événement », « 2 événements »
    "corrections": "Corrections", "corrections_feed": "Flux des corrections", "corrections_of": "{} — corrections",
    "correction_to": "Corrigé : {}", "correction_why": "Pourquoi", "updated": "Mis à jour le",
    "developing": "Sujet en cours d'évolution", "no_corrections": "Aucune entrée n'a été corrigée.",
    "corrections_intro": "Les modifications apportées aux entrées après leur publication, des plus récentes "
                         "aux plus anciennes.",
    "archived_from": "Archivé depuis", "the_original": "l'original", "on_date": "le", "dead_link": "lien mort",
    "ov_label": "Vue d'ensemble", "ov_caption": "{n}, {start} – {end}.",
    "ov_busiest": "Mois le plus chargé : {month}, {n}.", "ov_counted": "Nombre d'événements par {unit}.",
    "ov_units": "jour|semaine|mois|année|décennie|siècle",
    "ov_point": "connu au jour près", "ov_month": "connu au mois près", "ov_year": "connu à l'année près",
    "ov_span": "du début à la fin", "ov_approximate": "approximatif ou incertain",
    "ov_count": "événements par {unit}",
    "ov_script": "Zoomer|Dézoomer|Plus tôt|Plus tard|Du|Au|Toute la période|Faites glisser sur la vue "
                 "d'ensemble, ou utilisez-y les flèches, pour choisir une période (Maj avec les flèches déplace "
                 "sa fin ; + et − zooment).|Période|{n} événements sur {total} dans la période",
}

CATALOGS = {"en": EN, "fr": FR}


def plural(strings: dict, n: int, one: str, other: str) -> str:
    """Return the catalog's phrase `one` or `other` for a count of `n`, its {n} filled in.

    Which counts take the singular is the language's (`plural_one`): 1 in English, 0 and 1 in
    French. {n} is written the catalog's way ("10,000 events", "10 000 événements"). Only {n} is
    filled: a phrase may hold {total} for static/filter.js.
    """
    return strings[one if n in strings["plural_one"] else other].replace("{n}", format_number(n, strings))


def format_number(n: float, strings: dict = EN) -> str:
    """Write a figure the catalog's way: 12,500 in English, 12 500 in French; decimals only when present."""
    text = f"{n:,.0f}" if float(n).is_integer() else f"{n:,}"
    return text.translate({ord(","): strings["thousands_sep"], ord("."): strings["decimal_sep"]})


def format_figure(figure, strings: dict = EN, counts: bool = False) -> str:
    """Write a figure as the source gives it: "at least 785", "2,500 to 3,000"; with what it counts if asked."""
    text = format_number(figure.value, strings)
    if figure.high is not None:
        text = strings["figure_range"].format(text, format_number(figure.high, strings))
    if figure.qualifier:
        text = strings["q_" + figure.qualifier.replace(" ", "_")].format(text)
    return f"{text} ({figure.counts})" if counts and figure.counts else text


def catalog(language: str) -> dict:
    """Return the catalog for a BCP 47 language tag, falling back to English."""
    return CATALOGS.get(language.split("-")[0].lower(), EN)

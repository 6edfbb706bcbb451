"""Line-level boilerplate classifier for plain text and for what the HTML extractor leaves.

Every removed line is kept with its reason. Decisions, in order:
1. single-line furniture by shape and pattern: hashtag lines, bylines, cookie and consent notices (and
   the lines about cookies beside them), prompts (bookmark, newsletter, cookie), share and follow
   lines, disclosures, navigation words;
2. tails: a comment section's header, or a "read next" heading followed by unrelated text, after the
   article, and everything after it;
3. the headline: the first line of a text when it is shaped like a title (or equals the known title);
4. runs of headline-shaped lines (link lists, teasers) whose content words the article body
   does not share: lists of unrelated headlines;
5. for plain text, jusText-style context (``tasks.density``): lines poor in function words, and
   short lines among furniture, are furniture too;
6. a bio of the author (known, or found in a byline) among the last lines ends the article.
Useful metadata found on the way (author, tags, title) is returned as fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docclean.tasks.authors import bio_names, clean_author, name_in_byline
from docclean.tasks.config import BoilerplateConfig, LanguageConfig
from docclean.tasks.dates import DATE as _DATE
from docclean.tasks.density import BAD, GOOD, NEARGOOD, initial_class, revise, stopwords
from docclean.tasks.language import detect_language
from docclean.tasks.linemodel import content_probability, line_features
from docclean.tasks.records import LineReason, RemovedLine
from docclean.tasks.text import content_terms, is_sentence, normalize, word_count
from docclean.tasks.wordlists import BY_LABELS, BY_LABELS_LINE_ONLY, BYLINE_VERBS, READ_NEXT, alternation

_BULLET = re.compile(r"^(?:[-•*–·▪◦]\s|\d{1,3}[.)]\s)")
_READ_NEXT = alternation(READ_NEXT)
_COMMENTS_HEADER = re.compile(
    # a count makes "Responses" a comment section's header; alone it is as often an article's own heading
    r"^(?:\d+\s+)?(?:comments|kommentare|comentarios|commentaires|コメント|评论)(?:\s*\(\d+\))?:?$"
    r"|^(?:\d+\s+(?:comments?|responses?|replies|reactions)|(?:comments?|responses?|replies|reactions)\s*\(\d+\))"
    r":?$|^(?:leave|post|add|write|submit) (?:a |your )?(?:comment|reply|response)\b"
    r"|^join the (?:discussion|conversation)\b|^\d+ (?:thoughts?|responses?|comments?|replies) (?:on|to)\b",
    re.IGNORECASE,
)
# A heading that introduces other articles: after the article, with nothing related after it, it starts
# the page's tail.
_RELATED_HEADER = re.compile(
    r"^(?:read (?:this )?next|what to read next|up next|you (?:may|might) (?:also )?(?:like|enjoy)"
    r"|(?:related|recent|popular|more|latest|other|similar|recommended|top|trending)"
    r"(?: \w+)? (?:stories|articles|posts|news|reads|content|reading|headlines)|related|more from .{1,40}"
    r"|most (?:read|popular|viewed|shared)|trending(?: now)?|latest news"
    r"|(?:weitere|ähnliche|verwandte) (?:artikel|beiträge|nachrichten)|das könnte sie (?:auch )?interessieren"
    r"|noticias relacionadas|más noticias|sur le même sujet|(?:articles?|actualités) (?:similaires|liés)"
    rf"|あわせて読みたい|相关(?:文章|新闻)|推荐阅读|{_READ_NEXT})"
    r"\W*$",
    re.IGNORECASE,
)
_CODE = re.compile(r"[{}]|\s=\s|;$|^(?://|#!|import |from \S+ import )|\w\([^)]*\)\s*[;{:]?$")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_HASHTAG_LINE = re.compile(r"^(?:#[^\s#]+\s*)+$")
# A cookie or consent notice: cookies named, in web terms (site, browser, consent, tracking), by the site
# speaking of itself ("we use", "our partners", "this website", "by clicking"). A recipe ("we use brown
# butter in these cookies") has no web terms; news about cookie law, or a developer's post about browser
# sessions ("I prefer links that keep your session"), does not speak as the site.
_COOKIE_WORD = r"(?<![a-z])cookies?(?![a-z])|クッキー"  # no \b: "当サイトではCookieを"
_COOKIE = re.compile(_COOKIE_WORD, re.IGNORECASE)
_WEB_TERMS = re.compile(
    r"\b(?:web)?sites?\b|\bbrowser|\bdevices?\b|\bconsent|\bprivacy\b|\banalytics\b|\btracking\b|third[- ]part"
    r"|\bpreferences\b|\bpersonal data\b|\bwebseite|\beinwilligung|\bzustimmung|\bdatenschutz|\bnavigateur"
    r"|\bconsentement|\bnavegador|\bconsentimiento|\bsitio\b|サイト|网站|同意",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b(?:we|our|us|this (?:web)?site|by (?:clicking|continuing|using))\b"
    r"|\b(?:wir|unsere?[mnrs]?|diese (?:website|webseite))\b|\b(?:nous|notre|nos|ce site)\b"
    r"|\b(?:utilizamos|usamos|nuestr[oa]s?|este sitio)\b|当サイト|本サイト|本网站|我们",
    re.IGNORECASE,
)
_COOKIE_OR_CONSENT = re.compile(
    rf"{_COOKIE_WORD}|\bconsent\b|einwilligung|consentement|consentimiento|同意", re.IGNORECASE
)
_NAME = r"[^\W\d_][\w.'’-]*"
_BY = alternation(BY_LABELS)
_BYLINE_VERB = alternation(BYLINE_VERBS)
_BYLINE = re.compile(
    rf"^(?:(?:{_BYLINE_VERB}|view all (?:posts|articles|stories))\s+by"
    rf"|{_BY}|{alternation(BY_LABELS_LINE_ONLY)}|autor(?:in)?|author)"
    rf"(?:\s*:\s*|\s+)(?P<name>{_NAME}(?:\s+{_NAME}){{0,4}})$",
    re.IGNORECASE,
)
_RULES: tuple[tuple[LineReason, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        (
            LineReason.PROMPT,
            r"\bbookmarks?\b|\bnewsletters?\b|\bsubscribe\b|\bsign(?:ed)?[ -]?(?:up|in)\b|(?<![\w-])log[ -]?in(?![\w-])"
            r"|\bget notified\b|\bnotify me\b|\bpreferred source on google\b"
            # invitations, anchored at the start: a sentence may mention notifications or the latest news
            r"|^(?:would you like to |want to )?(?:receive|get|turn on|enable) (?:push |email )?notifications\b"
            r"|^get the latest (?:news|updates|stories|articles|posts|insights|offers)\b"
            r"|^(?:keep up with the latest|be the first to know)\b|^join [\d,.]+k?\+ "
            r"|\bspam\b|\binbox\b|\bcookies?\b(?! can\b)"
            r"|\babonn(?:ieren|ez|ement)\b|\bjetzt (?:kostenlos )?anmelden\b|\bsuscr[ií]b(?:ete|irse)\b|\bbolet[ií]n\b"
            r"|\binscrivez\b|メルマガ|订阅|購読",
        ),
        (
            # a line pointing to another article: "Also read: <headline>", "Related: <headline>"
            LineReason.RELATED_LINK,
            r"^(?:read more|related(?: article| story| post| reading)?|more|don'?t miss|lire aussi"
            rf"|must read|(?:you may )?also check|recommended|suggested(?: reading)?|{_READ_NEXT})\s*[:：]\s*\S",
        ),
        (
            LineReason.SHARE,
            r"^share(?: this| on| via|:|$)|\bshare (?:this|on|via)\b|follow us|follow @|^tweet\b"
            r"|\bon (?:facebook|twitter|x|instagram)\b|^pin (?:this|it)(?: for later)?\W*$|^stay connected(?: with (?:me|us))?\W*$"
            r"|whatsapp|telegram channel|folge[n]? (?:uns|sie)|suivez[- ]nous|s[ií]guenos|teilen|partager|compartir",
        ),
        (
            LineReason.DISCLOSURE,
            r"^(?:(?:securities |affiliate |editorial )?(?:disclosure|disclaimer)\b|\(?reporting by\b|\(?editing by\b"
            r"|copyright\b|©)"
            # the rest at word starts only (a leading \b: Python's re would try every branch at every character)
            r"|\b(?:(?:contains?|uses?|includes?) (?:some )?affiliate links|we (?:may )?earn (?:a )?(?:small )?commission"
            # the affiliate programmes' own wording
            r"|(?:may )?earn us (?:a )?(?:small )?commission|earn from qualifying purchases|as an amazon associate"
            r"|chosen independently by our editors|is supported by commissions from|all rights reserved"
            # the legal notices of advice, finance and health sites, and branded content
            r"|does not constitute an? (?:endorsement|recommendation)|is not affiliated with\b"
            r"|(?:not|no) (?:intended to )?(?:offer|provide|give|constitute)s? (?:\w+ ){0,3}"
            r"(?:medical|legal|financial|tax|investment|professional) advice\b"
            r"|substitute for (?:\w+ ){0,2}(?:medical|professional) advice|for (?:general )?informational purposes only"
            r"|all investing is subject to risk|is a registered investment advis[eo]r|past performance (?:is|does) not"
            r"|(?:contains|is) sponsored content|(?:developed|produced|created) in partnership with)",
        ),
        (
            LineReason.CAPTION,
            r"^(?:(?:photo|image|picture|illustration|video|foto|bild|imagen)(?:\s+credits?)?\s*[:©]"
            r"|(?:credits?|source|quelle|fuente)\s*:)"
            # a picture agency's credit after a mark ("(Reuters)", "| Getty Images", "Photo: AFP/..."); a
            # sentence that merely ends with an agency's name ("..., Reuters reported.") is the article's
            r"|(?:[(/|©]|\b(?:photo|foto|credit|bild)\b:?)\s*(?:[\w .-]{0,40}/\s*)?"
            r"(?:getty images|shutterstock|istock|unsplash|reuters|ap photo|afp|epa|dpa)\)?\.?$",
        ),
        (
            LineReason.DATELINE,
            # one leading ^: the pattern is anchored and searched at the line's start only
            r"^(?:(?:updated|published|posted|last (?:updated|modified)|modified|aktualisiert|veröffentlicht|actualizado"
            r"|publicado|mis à jour|publié)(?: on)?:?\s+(?=.*\d)\S.{0,40}$|\d+\s*(?:min(?:ute)?s?|mins?)\.?\s+(?:read|lesezeit)$"
            r"|(?:posted|published|written) by [^.]{1,40} on [^.]{0,30}\d{4}$"
            # a meta line carrying a reading time: "Nov 8, 2025 · 7 min read · By Ana", not a sentence
            r"|(?!.*[.!?]$).{0,60}\b\d+\s*(?:min(?:ute)?s?|mins?)\.?\s+read\b.{0,40}$"
            r"|(?:(?:estimated )?reading time|lesezeit|temps de lecture|tiempo de lectura)\b.{0,20}$"
            r"|(?:\w{3,9}\.? \d{1,2},? \d{4}|\d{1,2}\.? \w{3,9}\.? \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2} \w{3})$"
            # a date alone in any of the forms tasks.dates reads (12 de marzo de 2025, 2025年3月12日), maybe a time
            rf"|(?:{_DATE.pattern})(?:,?\s+\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)?$)",
        ),
        (
            LineReason.NAVIGATION,
            r"^(?:advertisement(?:\W+(?:scroll to )?continue reading(?: below)?\W*)?|anzeige|publicidad|publicité"
            r"|skip to (?:main )?content|read (?:more|less)|related"
            r"(?: stories| articles| posts| news)?:?|more from [^.]*|comments are closed\.?|menu|home|back to top"
            r"|most (?:read|popular)|trending(?: now)?|you may also like|recommended(?: for you)?|reply(?: to comment)?"
            r"|(?:about|contact) us|contact|privacy(?: policy| notice)?|terms (?:of (?:use|service)|and conditions)"
            r"|cookie (?:policy|settings)|sitemap|accessibility|careers|advertise(?: with us)?|press|categories"
            r"|table of contents(?: show| hide)?|about the authors?|search(?: for)?:?|close|×|loading\.{0,3}"
            r"|view (?:all|more|in list)|see (?:all|more)"
            r"|load more|learn more|book now|shop now|buy now|order now|get started|share(?: this)?:?|print"
            r"|email|e-mail|(?:https?://|www\.)\S+"  # a bare link
            r"|(?:book|get|request|schedule|watch)(?: a| your)?(?: free)? demo(?: today)?!?"
            r"|<?\s*(?:go )?back to (?:all |our )?(?:blogs?|articles?|news|posts?|home|menu|learn|resources|insights"
            r"|selection|summary|list|overview|search results)|go back(?: home)?"
            r"|facebook|twitter|instagram|linkedin|youtube|pinterest|tiktok|whatsapp|rss|toggle (?:child )?menu"
            r"|previous(?: post| article)?|next(?: post| article)?|startseite|impressum|datenschutz|kontakt"
            r"|antworten|inicio|contacto|aviso legal|responder|accueil|mentions légales|répondre|ホーム|首页)$",
        ),
    )
)


@dataclass(slots=True)
class Cleaned:
    lines: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    verdicts: list[tuple[str, LineReason | None]] = field(default_factory=list)  # every line, in order: None = kept


def headline_shaped(line: str, cfg: BoilerplateConfig) -> bool:
    """Short and not ending like a sentence: a title, a link text, or a teaser cut mid-word. Not a
    line that starts in lower case (the rest of a hard-wrapped sentence) or looks like code."""
    return (
        len(line) <= cfg.max_title_chars and not is_sentence(line) and not line[0].islower() and not _CODE.search(line)
    )


# rules that judge a line by a word in it, not by its form: they judge short lines only, and not a line of
# hard-wrapped prose, which may hold that word
_KEYWORD_REASONS = {LineReason.PROMPT, LineReason.SHARE}


def classify_line(line: str, cfg: BoilerplateConfig) -> LineReason | None:
    """The reason a single line is furniture, or None when it may be article text."""
    if _HASHTAG_LINE.match(line):
        return LineReason.HASHTAGS
    # a name is capitalised where the script has case: "by a technocratic government." is prose cut by a wrap
    if len(line) <= cfg.max_title_chars and (byline := _BYLINE.match(line)) and not byline["name"][0].islower():
        return LineReason.BYLINE
    if _COOKIE.search(line) and _WEB_TERMS.search(line) and _ADDRESS.search(line):
        return LineReason.CONSENT
    words = word_count(line)
    for reason, pattern in _RULES:
        # Keyword rules (prompt, share) only judge short lines: an article sentence may well
        # mention a newsletter. Anchored rules (disclosure, navigation) may judge longer ones.
        limit = cfg.max_prompt_words if reason in _KEYWORD_REASONS else cfg.max_furniture_words
        if words <= limit and pattern.search(line):
            return reason
    return None


def clean_lines(
    text: str,
    cfg: BoilerplateConfig,
    *,
    title: str | None = None,
    author: str | None = None,
    context: bool = True,
    extracted: bool = False,
    link_density: list[float] | None = None,
) -> Cleaned:
    """Split ``text`` into lines and remove furniture.

    ``title`` and ``author`` are the headline and the byline's name when already known. The context
    classifier runs when ``context`` is true (plain text, where nothing has cut the page down to its
    article yet), with the stop words of the language detected on ``text``. ``extracted`` says an
    extractor already cut ``text`` down to the article (what trafilatura kept of a page): it then
    starts at the article, not at navigation. ``link_density`` (per line of ``text``, from the HTML) is
    each line's share of link text: where it is given, only runs of links go as unrelated headlines.
    """
    out, lines, why = rule_pass(text, cfg, title=title, extracted=extracted, link_density=link_density)
    if context:
        _drop_by_context(lines, why, detect_language(text, LanguageConfig())[0], cfg)
    if out.title is None:
        _take_title_above_body(lines, why, out, cfg)
    if out.author is None:
        _take_signed_line(lines, why, out)
    _drop_repeated_runs(lines, why, cfg)
    _cut_author_bio(lines, why, author or out.author, cfg)
    out.removed = [RemovedLine(lines[i], why[i]) for i in sorted(why)]
    out.lines = [line for i, line in enumerate(lines) if i not in why]
    out.verdicts = [(line, why.get(i)) for i, line in enumerate(lines)]
    return out


def rule_pass(
    text: str,
    cfg: BoilerplateConfig,
    *,
    title: str | None = None,
    extracted: bool = False,
    link_density: list[float] | None = None,
) -> tuple[Cleaned, list[str], dict[int, LineReason]]:
    """The rules that run before the context classifier: the text's non-empty lines, the reason of each
    line they removed, and the metadata they found (title, author, tags)."""
    out = Cleaned(lines=[], title=title)
    lines, linked = [], []
    for k, raw in enumerate(text.splitlines()):
        if stripped := _INVISIBLE.sub("", raw).strip():
            lines.append(stripped)
            linked.append(link_density[k] if link_density and k < len(link_density) else None)
    why: dict[int, LineReason] = {}
    for i, line in enumerate(lines):
        reason = classify_line(line, cfg)
        if reason is None or (reason in _KEYWORD_REASONS and _wrapped_fragment(lines, i)):
            continue
        why[i] = reason
        if reason == LineReason.HASHTAGS:
            out.tags.extend(tag.lstrip("#") for tag in line.split() if tag.lstrip("#"))
        elif reason == LineReason.BYLINE and out.author is None:
            out.author = clean_author(_BYLINE.match(line).group("name"), None)  # type: ignore[union-attr]

    _extend_consent(lines, why)
    _cut_comments(lines, why, cfg)
    _cut_related_tail(lines, why, cfg, extracted=extracted)
    remaining = [i for i in range(len(lines)) if i not in why]
    _take_title(lines, remaining, why, out, cfg)
    _drop_unrelated_runs(lines, [i for i in remaining if i not in why], why, out, cfg, linked)
    return out, lines, why


def _wrapped_fragment(lines: list[str], i: int) -> bool:
    """Part of a sentence that a hard wrap cut into lines: it starts in lower case, or it does not end
    like a sentence and the next line starts in lower case."""
    line = lines[i]
    after = lines[i + 1] if i + 1 < len(lines) else ""
    return line[0].islower() or (not is_sentence(line) and bool(after) and after[0].islower())


def _drop_repeated_runs(lines: list[str], why: dict[int, LineReason], cfg: BoilerplateConfig) -> None:
    """A run of kept lines each already shown earlier in the text is the page rendering its content twice
    (a mobile copy beside the desktop one, a carousel's cloned slides): the later copy goes. A line
    repeated alone stays (a pull quote, a table's repeated cell), as does a run of short labels."""
    seen: set[str] = set()
    run: list[int] = []

    def close_run() -> None:
        if len(run) >= cfg.repeated_run_lines and any(word_count(lines[j]) >= 4 for j in run):
            why.update({j: LineReason.REPEATED for j in run})
        run.clear()

    for i, line in enumerate(lines):
        if i in why:
            continue
        key = normalize(line)
        if key in seen:
            run.append(i)
        else:
            close_run()
            seen.add(key)
    close_run()


def _extend_consent(lines: list[str], why: dict[int, LineReason]) -> None:
    """A consent notice's neighbours that talk about cookies or consent belong to it ("Manage consent",
    the list of cookie kinds a banner explains: "Necessary cookies are absolutely essential ...")."""
    for i in [i for i, reason in why.items() if reason == LineReason.CONSENT]:
        for step in (-1, 1):
            j = i + step
            while (
                0 <= j < len(lines)
                and (j not in why or why[j] == LineReason.PROMPT)
                and _COOKIE_OR_CONSENT.search(lines[j])
            ):
                why[j] = LineReason.CONSENT
                j += step


def _cut_comments(lines: list[str], why: dict[int, LineReason], cfg: BoilerplateConfig) -> None:
    """A comment section's header after the article's prose starts the page's tail: all of it goes."""
    seen_prose = False
    for i, line in enumerate(lines):
        if i in why:
            continue
        if seen_prose and len(line) <= cfg.max_title_chars and _COMMENTS_HEADER.search(line):
            why.update({j: LineReason.COMMENTS for j in range(i, len(lines)) if j not in why})
            return
        seen_prose = seen_prose or _is_prose(line, cfg)


def _cut_related_tail(lines: list[str], why: dict[int, LineReason], cfg: BoilerplateConfig, *, extracted: bool) -> None:
    """A "Read next" / "Related stories" heading after the article, followed by lines that share few
    content words with what precedes it, starts a tail of other articles: all of it goes. Teasers with a
    sentence under each title escape the headline-run rule. After the article: the text's longest line
    is before the heading or, in what an extractor already cut down to the article (``extracted``),
    ``related_after_words`` words are (teasers can be longer than a short article's paragraphs)."""
    for i, line in enumerate(lines):
        # not one the navigation rule took: "Related" or "More from X" above a list of sources is the article's
        if i in why or len(line) > cfg.max_title_chars or not _RELATED_HEADER.match(line):
            continue
        before = [lines[j] for j in range(i) if j not in why]
        rest = [lines[j] for j in range(i + 1, len(lines)) if j not in why]
        longest_before = max(map(len, before), default=0) > max(map(len, rest), default=0)
        if not longest_before and not (extracted and word_count(" ".join(before)) >= cfg.related_after_words):
            continue  # the article is after it
        after = [content_terms(later) for later in rest]
        body = content_terms(" ".join(before))
        total = sum(len(t) for t in after)
        if total == 0 or sum(len(t & body) for t in after) / total < cfg.block_relatedness:
            why.update({j: LineReason.RELATED_TAIL for j in range(i, len(lines)) if j not in why})
            return


# what an author's bio says after the name: "Jane Doe is a writer …", "Jane has covered …", "… ist Redakteurin"
_BIO_VERB = (
    r"(?:is|was|has|co-?founded|founded|started|joined|writes|covers|leads|serves|holds|specializes|explores"
    r"|ist|war|schreibt|es|est|è|é)\b"
)


def _cut_author_bio(lines: list[str], why: dict[int, LineReason], author: str | None, cfg: BoilerplateConfig) -> None:
    """A bio of the text's author among its last ``bio_tail_lines`` lines (a sentence that opens with the
    author's name and a bio's verb) ends the article: it goes with what follows (the "Read more:" and
    sponsor lines of an author box) and with up to two short lines just above it that are no sentences
    (the box's heading: the name, "Contributing Writer", "Written by: Jane Doe, Senior Analyst")."""
    names = bio_names(author) if author else []
    if not names:
        return
    opens_bio = re.compile(rf"(?:{'|'.join(map(re.escape, names))})\s+{_BIO_VERB}")
    kept = [i for i in range(len(lines)) if i not in why]
    for k in range(max(1, len(kept) - cfg.bio_tail_lines), len(kept)):  # never the first line: the article is above
        if word_count(lines[kept[k]]) >= 8 and opens_bio.match(lines[kept[k]]):
            start = k
            while start > max(1, k - 2) and _box_heading(lines[kept[start - 1]]):
                start -= 1
            why.update({j: LineReason.AUTHOR_BIO for j in range(kept[start], len(lines)) if j not in why})
            return


def _box_heading(line: str) -> bool:
    return word_count(line) <= 8 and not is_sentence(line)


def _take_title(
    lines: list[str], remaining: list[int], why: dict[int, LineReason], out: Cleaned, cfg: BoilerplateConfig
) -> None:
    if not remaining:
        return
    first = remaining[0]
    if out.title is not None:
        if normalize(lines[first]) == normalize(out.title):
            why[first] = LineReason.TITLE
        return
    # A plain-text headline: a title-shaped first line followed by body text, not by another
    # headline (which would make it the start of a link list).
    followed_by_body = len(remaining) > 1 and not headline_shaped(lines[remaining[1]], cfg)
    if headline_shaped(lines[first], cfg) and word_count(lines[first]) >= 3 and followed_by_body:
        out.title = lines[first]
        why[first] = LineReason.TITLE


# "By Jane Doe | May 3, 2025", "Written by Jane Doe and Li Wei", "ByJane Doe" (markup glued the label on)
_SIGNED_LINE = re.compile(
    rf"^(?:(?:(?:{_BYLINE_VERB})\s+by|{_BY}|author)\b\s*:?\s*(?=\S)"
    r"|(?-i:By(?=[A-Z][a-z])))",
    re.IGNORECASE,
)


# a line removed for one of these reasons may still be the headline: its neighbours, not its form, condemned it
_MAYBE_HEADLINE = {
    LineReason.TITLE,
    LineReason.CONTEXT,
    LineReason.LOW_DENSITY,
    LineReason.UNRELATED_HEADLINES,
    LineReason.RELATED_TAIL,
}


def _take_title_above_body(lines: list[str], why: dict[int, LineReason], out: Cleaned, cfg: BoilerplateConfig) -> None:
    """A page's visible text starts with navigation, not with its headline: the headline is the title-shaped
    line a little above the first paragraph whose content words the article's opening shares most (half
    at least; the nearest wins a tie). Teasers, calls to action and section names share few of them."""
    kept = [i for i in range(len(lines)) if i not in why]
    start = next((i for i in kept if _is_prose(lines[i], cfg)), None)
    if start is None:
        return
    body = content_terms(" ".join(lines[i] for i in kept if i >= start)[: cfg.title_body_chars])
    best: tuple[float, int] | None = None
    for i in range(max(0, start - cfg.title_search_lines), start):
        line = lines[i]
        if why.get(i, LineReason.TITLE) not in _MAYBE_HEADLINE or not _title_shaped(line, cfg):
            continue
        terms = content_terms(line)
        share = len(terms & body) / len(terms) if len(terms) >= 2 else 0.0
        if share >= 0.5 and (best is None or share >= best[0]):
            best = (share, i)
    if best:
        out.title = lines[best[1]]
        why[best[1]] = LineReason.TITLE


def _title_shaped(line: str, cfg: BoilerplateConfig) -> bool:
    """A headline may ask or exclaim ("Which one should you choose?"). It is not a byline or a date line,
    which sit beside it and share its words."""
    shaped = headline_shaped(line, cfg) or (
        line.endswith(("?", "!", "？", "！")) and len(line) <= cfg.max_title_chars and not line[0].islower()
    )
    return shaped and word_count(line) >= 3 and not _SIGNED_LINE.match(line) and not _DATE.search(line)


def _take_signed_line(lines: list[str], why: dict[int, LineReason], out: Cleaned) -> None:
    """The author of a text whose byline carries more than a name (a date, a role, a reading time): the
    first signed line just around the headline."""
    at = next((i for i, reason in why.items() if reason == LineReason.TITLE), None)
    if at is None:
        return
    for i in range(max(0, at - 3), min(len(lines), at + 9)):
        if i != at and len(lines[i]) <= 200 and (label := _SIGNED_LINE.match(lines[i])):
            name = clean_author(name_in_byline(lines[i][label.end() :]), None)
            if name and name[0].isupper():  # "By the way, ..." is no byline
                out.author = name
                why.setdefault(i, LineReason.BYLINE)
                return


def _drop_unrelated_runs(
    lines: list[str],
    candidates: list[int],
    why: dict[int, LineReason],
    out: Cleaned,
    cfg: BoilerplateConfig,
    linked: list[float | None],
) -> None:
    """Runs of headline-shaped lines are link lists and teasers unless they share the article's words.

    Inside the article (prose on both sides) a run must be nearly unrelated to go; at the edges, where
    furniture gathers, sharing little is enough. List items (``- ``, ``1.``) inside the article stay.
    Where the page's links are known (HTML), a run must be mostly link text: a list of plain items
    (ingredients, tour dates, a product list, lyrics) is the article's, however headline-shaped.
    """
    runs = _headline_runs([lines[i] for i in candidates], cfg)
    in_run = {candidates[k] for start, end in runs for k in range(start, end)}
    body_terms = content_terms(" ".join(lines[i] for i in candidates if i not in in_run))
    if out.title:
        body_terms |= content_terms(out.title)
    prose = [i for i in candidates if i not in in_run and _is_prose(lines[i], cfg)]
    for start, end in runs:
        run = [candidates[k] for k in range(start, end)]
        inside = bool(prose) and prose[0] < run[0] and run[-1] < prose[-1]
        if inside and any(_BULLET.match(lines[i]) for i in run):
            continue
        densities = [linked[i] for i in run if linked[i] is not None]
        if densities and sum(densities) / len(run) < cfg.min_run_link_share:
            continue
        run_terms = [content_terms(lines[i]) for i in run]
        total = sum(len(terms) for terms in run_terms)
        shared = sum(len(terms & body_terms) for terms in run_terms)
        limit = cfg.block_relatedness * (cfg.inside_relatedness_factor if inside else 1.0)
        if total == 0 or shared / total < limit:
            why.update({i: LineReason.UNRELATED_HEADLINES for i in run})


def _is_prose(line: str, cfg: BoilerplateConfig) -> bool:
    return is_sentence(line) and len(line) >= cfg.length_low


def context_classes(
    lines: list[str], why: dict[int, LineReason], language: str | None, cfg: BoilerplateConfig
) -> tuple[frozenset[str], list[str], list[str]]:
    """jusText's classes of every line: alone (by length and stop-word density) and after its context
    rules and the main-region cut. Lines the rules removed count as furniture."""
    # The classifier does not see "Related: <headline>" links: they sit inside the article, and as
    # furniture on both sides of a section of medium-length paragraphs they would take it with them.
    seen = [i for i in range(len(lines)) if why.get(i) != LineReason.RELATED_LINK]
    view = [lines[i] for i in seen]
    stops = stopwords(language)
    initial = [BAD if i in why else initial_class(lines[i], stops, cfg) for i in seen]
    if GOOD not in initial:  # a short text of medium lines: its best lines are its prose
        initial = [GOOD if cls == NEARGOOD else cls for cls in initial]
    headings = [headline_shaped(line, cfg) for line in view]
    final = revise(initial, view, headings, cfg)
    _keep_main_region(final, view, cfg)
    alone, judged = [BAD] * len(lines), [BAD] * len(lines)
    for k, i in enumerate(seen):
        alone[i], judged[i] = initial[k], final[k]
    return stops, alone, judged


def _drop_by_context(
    lines: list[str], why: dict[int, LineReason], language: str | None, cfg: BoilerplateConfig
) -> None:
    """Lines the trained line model (``tasks.linemodel``) finds unlikely to be the article's, or, with
    ``line_model`` off, those jusText's context classifier calls furniture."""
    stops, initial, final = context_classes(lines, why, language, cfg)
    if cfg.line_model:
        # the model overrules jusText's verdict only where it is confident: a line jusText keeps goes when
        # the model finds it very unlikely, a line jusText drops stays when the model finds it very likely
        probability = content_probability(line_features(lines, why, stops, initial, final))
        confidence = cfg.line_model_confidence
        furniture = [p < 1 - confidence if final[i] != BAD else p < confidence for i, p in enumerate(probability)]
    else:
        furniture = [cls == BAD for cls in final]
    for i, drop in enumerate(furniture):
        if drop and i not in why:
            why[i] = LineReason.LOW_DENSITY if initial[i] == BAD else LineReason.CONTEXT


def _keep_main_region(classes: list[str], lines: list[str], cfg: BoilerplateConfig) -> None:
    """Prose far from the article (a sidebar bio, a teaser block, a footer blurb) goes with the furniture
    around it: the text is cut into regions at long stretches of furniture, and regions with much
    less prose than the largest are dropped."""
    regions: list[list[int]] = [[]]
    gap = 0
    for i, cls in enumerate(classes):
        if cls == GOOD:
            if gap >= cfg.region_gap_lines and regions[-1]:
                regions.append([])
            gap = 0
            regions[-1].append(i)
        else:
            gap += 1
    mass = [sum(len(lines[i]) for i in region) for region in regions]
    if not mass or max(mass) == 0:
        return
    for region, m in zip(regions, mass):
        if m < cfg.region_min_share * max(mass):
            for i in range(region[0], region[-1] + 1):
                classes[i] = BAD


def _headline_runs(lines: list[str], cfg: BoilerplateConfig) -> list[tuple[int, int]]:
    """Maximal [start, end) runs of at least ``min_block_lines`` consecutive headline-shaped lines."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate([*lines, ""]):
        shaped = bool(line) and headline_shaped(line, cfg)
        if shaped and start is None:
            start = i
        elif not shaped and start is not None:
            if i - start >= cfg.min_block_lines:
                runs.append((start, i))
            start = None
    return runs

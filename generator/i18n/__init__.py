"""The site's language: its CLDR locale (Babel), its gettext catalog, and the site's own strings over both.

The theme's words are gettext messages (msgids are the English text). Catalogs live in
`locales/<code>/LC_MESSAGES/messages.po`, compiled beside it to `messages.mo`; `messages.pot`
is the template that `pybabel extract` makes from the theme and the label tables (see docs/i18n.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
TEMPLATE = LOCALES_DIR / "messages.pot"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks `message` for `pybabel extract` where it is defined; it is translated where it is shown."""
    return message


class LanguageError(ValueError):
    """A language code that is not BCP 47, or that CLDR does not know."""


def parse_locale(code: str) -> Locale:
    """The Babel locale of a BCP 47 code ('en', 'pt-BR', 'sr-Latn'); LanguageError if CLDR has none."""
    if not isinstance(code, str) or not code.strip() or "_" in code:
        raise LanguageError(f"'{code}' is not a language code such as 'en' or 'pt-BR'")
    try:
        return Locale.parse(code.strip(), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise LanguageError(f"unknown language '{code}'") from None


def catalog_locales() -> list[str]:
    """The locales that ship a catalog, as folder names ('de', 'en', 'fr', …)."""
    return sorted(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


def known_messages() -> list[str]:
    """Every msgid of the theme (singular forms), from the catalog template."""
    with TEMPLATE.open("rb") as file:
        catalog = read_po(file)
    return sorted(m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id)


def missing_messages(code: str, strings: Mapping[str, str] | None = None) -> list[str]:
    """The template's msgids that the catalog for `code` (or its parent language) leaves untranslated.

    A message the site overrides in `strings` counts as translated.
    """
    strings = strings or {}
    catalogs = []
    for name in _catalog_names(parse_locale(code)):
        path = LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            with path.open("rb") as file:
                catalogs.append(read_po(file, locale=name))
    with TEMPLATE.open("rb") as file:
        template = read_po(file)
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in strings:
            continue
        found = [c.get(message.id) for c in catalogs]
        if not any(m is not None and _translated(m.string) and not m.fuzzy for m in found):
            missing.append(key)
    return missing


def _translated(string: Any) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


def _catalog_names(locale: Locale) -> list[str]:
    """'pt_BR', then 'pt': the catalog folders to try, most specific first."""
    names = [str(locale)]
    if locale.language not in names:
        names.append(locale.language)
    return names


class Language:
    """One site's language: Babel locale, gettext catalog, and the site's `[strings]` overrides.

    `dates` is the locale dates are formatted in: a bare 'en' uses CLDR's international
    English ('en_001': '7 Nov 2024'), as Counterpoint always wrote dates; 'en-US' is American.
    """

    def __init__(self, code: str, strings: Mapping[str, str] | None = None) -> None:
        """The language of `code` (BCP 47); raises LanguageError if CLDR does not know it."""
        self.code = code
        self.locale = parse_locale(code)
        self.dates = Locale.parse("en_001") if str(self.locale) == "en" else self.locale
        self.strings = dict(strings or {})
        # 'rtl' for a right-to-left script (CLDR's character order), else 'ltr'
        self.direction = "rtl" if self.locale.character_order == "right-to-left" else "ltr"
        found = Translations.load(str(LOCALES_DIR), _catalog_names(self.locale), DOMAIN)
        # msgids are English: a language without a catalog falls back to them
        self.translations: NullTranslations = found
        self.date_labels: dict[Any, str] = {}  # this language's labels of the dates of one render
        self._directions: dict[str, str] = {}
        self._markup: dict[str, Markup] = {}
        self._plural_samples: dict[str, int] | None = None


    def foreign(self, code: str | None) -> str | None:
        """`code` when it names another language than this one ('en' on a French page), else None:
        what a text in that language must be marked with (its regional variants are this language)."""
        if code is None or parse_locale(code).language == self.locale.language:
            return None
        return code

    def marks(self, code: str | None) -> Markup:
        """The `lang` (and `dir`, when its script runs the other way) of a text in `code` on a page in this
        language; nothing when it is this language."""
        foreign = self.foreign(code)
        if foreign is None:
            return Markup("")
        direction = self.direction_of(foreign)
        return Markup(' lang="%s"%s') % (foreign, Markup(f' dir="{direction}"') if direction != self.direction else "")

    def direction_of(self, code: str) -> str:
        """'rtl' or 'ltr': the direction of another language, such as a quotation's."""
        direction = self._directions.get(code)
        if direction is None:
            order = parse_locale(code).character_order
            direction = self._directions[code] = "rtl" if order == "right-to-left" else "ltr"
        return direction

    def gettext(self, message: str) -> str:
        """`message` in this language: the site's own string, else the catalog's, else the English."""
        override = self.strings.get(message)
        return override if override is not None else self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a message for the count `n`; a site's override names the singular msgid."""
        override = self.strings.get(singular)
        return override if override is not None else self.translations.ngettext(singular, plural, n)

    def markup(self, message: str, **variables: Any) -> Markup:
        """A message for a template (`_()` in the theme): the catalog's text is markup, as the theme's own is;
        the site's own strings and the variables are escaped."""
        text = self._markup.get(message)
        if text is None:
            override = self.strings.get(message)
            text = escape(override) if override is not None else Markup(self.translations.gettext(message))
            self._markup[message] = text
        return text % variables if variables else text

    def markup_plural(self, singular: str, plural: str, n: int, **variables: Any) -> Markup:
        """`ngettext()` in the theme: the form for the count `n`, with `num` and the variables filled in."""
        override = self.strings.get(singular)
        text = escape(override) if override is not None else Markup(self.translations.ngettext(singular, plural, n))
        return text % {"num": n, **variables}

    def plural_samples(self) -> dict[str, int]:
        """A count for each CLDR plural category of this language ('one': 1, 'few': 2, …)."""
        if self._plural_samples is None:  # 200 CLDR rule evaluations, asked for by every page of a timeline
            samples: dict[str, int] = {}
            for n in range(0, 200):
                samples.setdefault(self.locale.plural_form(n), n)
            self._plural_samples = samples
        return dict(self._plural_samples)

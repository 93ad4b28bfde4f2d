"""ISO 3166-1 alpha-2 codes and English names of the countries the corpus speaks about.

The OSCE's 57 participating States plus the other countries ILP literature draws on. A code not
listed here is still accepted; it is labelled with the code itself.
"""

COUNTRY_NAMES: dict[str, str] = {
    "AD": "Andorra", "AL": "Albania", "AM": "Armenia", "AT": "Austria", "AU": "Australia",
    "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BE": "Belgium", "BG": "Bulgaria",
    "BY": "Belarus", "CA": "Canada", "CH": "Switzerland", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GB": "United Kingdom", "GE": "Georgia", "GR": "Greece", "HR": "Croatia",
    "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy", "KG": "Kyrgyzstan",
    "KZ": "Kazakhstan", "LI": "Liechtenstein", "LT": "Lithuania", "LU": "Luxembourg",
    "LV": "Latvia", "MC": "Monaco", "MD": "Moldova", "ME": "Montenegro", "MK": "North Macedonia",
    "MN": "Mongolia", "MT": "Malta", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "RS": "Serbia", "RU": "Russian Federation",
    "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "SM": "San Marino", "TJ": "Tajikistan",
    "TM": "Turkmenistan", "TR": "Türkiye", "UA": "Ukraine", "US": "United States",
    "UZ": "Uzbekistan", "VA": "Holy See", "XK": "Kosovo",
}


def country_name(code: str) -> str:
    """The English name of a country code, or the code itself when unknown."""
    return COUNTRY_NAMES.get(code.upper(), code.upper())

"""Picklist values, their weights and the other fixed reference values of the simulation."""

from __future__ import annotations

PRE_PIPELINE = ("Targeted", "Engaged", "Prioritized")
ON_HOLD = "On Hold - Legal"
WON, LOST = "Closed Won", "Closed Lost"

# stage -> (default probability, forecast category)
STAGE_DEFAULTS: dict[str, tuple[int, str]] = {
    "Targeted": (0, "Omitted"),
    "Engaged": (5, "Omitted"),
    "Prioritized": (5, "Omitted"),
    "Prospecting": (10, "Pipeline"),
    "Qualification": (20, "Pipeline"),
    "Needs Analysis": (25, "Pipeline"),
    "Value Proposition": (50, "Pipeline"),
    "Id. Decision Makers": (60, "Best Case"),
    "Perception Analysis": (70, "Best Case"),
    "Proposal/Price Quote": (75, "Best Case"),
    "Negotiation/Review": (90, "Commit"),
    ON_HOLD: (40, "Pipeline"),
    WON: (100, "Closed"),
    LOST: (0, "Omitted"),
}
FORECAST_ORDER = ("Omitted", "Pipeline", "Best Case", "Commit")

# family -> stage ladder (open stages, in order)
LADDERS: dict[str, tuple[str, ...]] = {
    "acquisition": (
        *PRE_PIPELINE,
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Perception Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
    "retention": ("Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"),
    "upsell": (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
    "cross_sell": (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
}
# family -> (start indexes into its ladder, weights)
START_STAGES: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {
    "acquisition": ((0, 1, 2, 3, 4), (0.18, 0.12, 0.08, 0.34, 0.28)),
    "retention": ((0, 2, 3), (0.55, 0.38, 0.07)),
    "upsell": ((0, 1, 2), (0.30, 0.50, 0.20)),
    "cross_sell": ((0, 1, 2), (0.45, 0.40, 0.15)),
}
# family -> (P(won), P(stalled: left open and forgotten)); the rest is lost
OUTCOMES: dict[str, tuple[float, float]] = {
    "acquisition": (0.36, 0.05),
    "retention": (0.78, 0.02),
    "upsell": (0.50, 0.04),
    "cross_sell": (0.42, 0.05),
}
UPSELLS_PER_YEAR = 2.4
CROSS_SELLS_PER_YEAR = 1.5
# family -> median sales-cycle length in days
CYCLE_DAYS = {"acquisition": 85.0, "retention": 35.0, "upsell": 50.0, "cross_sell": 65.0}
# family -> weighted Type picklist values
TYPE_VALUES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "acquisition": (("New Business", "New Customer"), (0.8, 0.2)),
    "retention": (
        ("Renewal", "Existing Customer - Replacement", "Existing Customer - Downgrade"),
        (0.75, 0.10, 0.15),
    ),
    "upsell": (("Existing Customer - Upgrade", "Upsell", "Expansion"), (0.40, 0.35, 0.25)),
    "cross_sell": (("Cross-sell", "Cross Sell"), (0.7, 0.3)),
}
ODD_TYPES = ("Partner Referral", "Pilot")

LEAD_SOURCES = (
    "Web",
    "Paid Search",
    "Webinar",
    "Trade Show",
    "Content Syndication",
    "Email",
    "Partner Referral",
    "Outbound Prospecting",
    "Employee Referral",
    "Customer Referral",
)
LEAD_SOURCE_WEIGHTS = (0.22, 0.16, 0.11, 0.07, 0.09, 0.08, 0.07, 0.12, 0.04, 0.04)
LEAD_OPEN, LEAD_WORKING = "Open - Not Contacted", "Working - Contacted"
LEAD_CONVERTED, LEAD_NOT_CONVERTED = "Closed - Converted", "Closed - Not Converted"

CONTACT_ROLES = (
    "Decision Maker",
    "Economic Buyer",
    "Economic Decision Maker",
    "Technical Buyer",
    "Evaluator",
    "Influencer",
    "Executive Sponsor",
    "Business User",
    "Other",
)
CONTACT_ROLE_WEIGHTS = (0.18, 0.12, 0.05, 0.14, 0.16, 0.12, 0.08, 0.10, 0.05)

INDUSTRIES = (
    "Technology",
    "Financial Services",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Education",
    "Media",
    "Energy",
    "Professional Services",
    "Transportation",
)
INDUSTRY_WEIGHTS = (0.22, 0.14, 0.12, 0.12, 0.09, 0.06, 0.06, 0.05, 0.10, 0.04)

CURRENCIES = ("USD", "EUR", "GBP")
CURRENCY_WEIGHTS = (0.70, 0.18, 0.12)
# currency -> (countries, weights, legal-form suffixes, UTC hour the working day starts)
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[str, ...], int]] = {
    "USD": (
        ("United States", "Canada", "Australia", "Singapore"),
        (0.85, 0.08, 0.04, 0.03),
        ("Inc.", "LLC", "Corp.", "Co.", "Group"),
        13,
    ),
    "EUR": (
        ("Germany", "France", "Netherlands", "Spain", "Ireland", "Italy"),
        (0.32, 0.22, 0.16, 0.12, 0.10, 0.08),
        ("GmbH", "SAS", "B.V.", "S.L.", "Ltd", "S.p.A.", "AG"),
        7,
    ),
    "GBP": (("United Kingdom",), (1.0,), ("Ltd", "plc", "Group"), 8),
}
# (start rate, lower bound, upper bound) in units of the currency per 1 USD
RATE_WALK = {"EUR": (0.915, 0.88, 0.95), "GBP": (0.790, 0.75, 0.82)}

NAME_HEADS = (
    "Acme", "Northwind", "Blue Harbor", "Summit", "Pinecrest", "Redwood", "Ironclad", "Lumen",
    "Vertex", "Cobalt", "Silverline", "Brightpath", "Granite", "Harbor Point", "Evergreen",
    "Quantum", "Nimbus", "Atlas", "Keystone", "Orion", "Sterling", "Bluebird", "Crescent",
    "Falcon", "Meridian", "Oakridge", "Polaris", "Riverbend", "Sapphire", "Trident", "Helix",
    "Juniper", "Kestrel", "Larkspur", "Monarch", "Nova", "Pioneer", "Solstice", "Tundra",
    "Vanguard", "Westbrook", "Zenith", "Müller & Söhne", "Société Générale de Données",
    "Øresund", "Café Lumière", "Zürich Analytik", "Nordström", "Ångström", "Łódź Logistics",
)  # fmt: skip
NAME_TAILS = (
    "Analytics", "Systems", "Logistics", "Health", "Capital", "Foods", "Media", "Energy",
    "Software", "Labs", "Manufacturing", "Partners", "Retail", "Networks", "Robotics",
    "Solutions", "Holdings", "Learning", "Freight", "Pharma", "Insurance", "Data",
)  # fmt: skip
ODD_COMPANY_NAMES = ('The "Blue Door" Group', "Holloway, Pierce & Co.", "O'Brien, Walsh and Sons")
FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Chris", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra",
    "Priya", "Wei", "Ahmed", "Fatima", "Lukas", "Sofia", "Mateo", "Aoife", "Noah", "Emma",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Patel", "Chen", "Khan", "Schmidt", "Rossi", "Dubois", "Murphy", "Kowalski", "Novak",
)  # fmt: skip
USER_NAMES = (
    "Zoë Müller", "José García", "Siobhán O'Neill", "Łukasz Nowak", "Amélie Laurent",
    "Björn Svensson", "Chloé Martin", "Dmitri Volkov", "Élodie Bernard", "Søren Kierkegaard",
)  # fmt: skip

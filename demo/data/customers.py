"""The demo's customers: who they are and where (segments, regions, company and contact names)."""

from demo.data.people import HEAD_OF_PRODUCTION, IT_LEAD

CUSTOMER_COUNT = 300

SEGMENTS = [  # (segment, persona, weight)
    ("manufacturing", HEAD_OF_PRODUCTION, 58),
    ("mid_market", IT_LEAD, 32),
    ("contract_packaging", None, 10),
]
REGIONS = [  # (region, weight, share of German-speaking contacts, legal forms, surnames or None for German)
    ("Baden-Württemberg", 16, 0.85, ("GmbH", "GmbH & Co. KG"), None),
    ("Bavaria", 14, 0.85, ("GmbH", "AG"), None),
    ("North Rhine-Westphalia", 14, 0.8, ("GmbH", "GmbH & Co. KG"), None),
    ("Lower Saxony", 7, 0.8, ("GmbH",), None),
    ("Hesse", 7, 0.8, ("GmbH", "AG"), None),
    ("Saxony", 5, 0.85, ("GmbH",), None),
    ("Austria", 8, 0.9, ("GmbH",), None),
    ("Switzerland", 7, 0.75, ("AG", "GmbH"), None),
    ("Netherlands", 6, 0.05, ("B.V.",), ("Van Dijk", "De Vries", "Bakker", "Visser", "Smit", "Mulder")),
    ("Poland", 5, 0.05, ("Sp. z o.o.",), ("Nowak", "Kowalski", "Wiśniewski", "Zieliński", "Kamiński")),
    ("Czech Republic", 4, 0.1, ("s.r.o.",), ("Novák", "Dvořák", "Svoboda", "Černý", "Procházka")),
    ("United Kingdom", 7, 0.0, ("Ltd",), ("Hughes", "Carter", "Whitfield", "Bennett", "Shaw", "Ellis")),
]
GERMAN_SURNAMES = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Bauer Richter Klein Wolf "
    "Schröder Neumann Schwarz Zimmermann Braun Hartmann Lange Krause Werner Lehmann Huber Kaiser Fuchs Peters "
    "Brandt Vogt Seidel Engel Sommer Haas Graf"
).split()
TRADES = {  # segment: (German trades, English trades)
    "manufacturing": (
        ("Feinkost", "Backwaren", "Molkerei", "Pharma", "Kosmetik", "Süßwaren", "Tiernahrung", "Getränke"),
        ("Foods", "Bakeries", "Dairy", "Pharma", "Cosmetics", "Confectionery", "Pet Food", "Beverages"),
    ),
    "mid_market": (
        ("Großhandel", "Logistik", "Medizintechnik", "Elektrotechnik", "Versicherungsmakler", "Möbelwerke"),
        ("Wholesale", "Logistics", "Medical", "Electronics", "Insurance Brokers", "Furniture"),
    ),
    "contract_packaging": (("Lohnverpackung", "Co-Packing"), ("Contract Packing", "Co-Packing")),
}
FIRST_NAMES = {
    "de": "Thomas Andreas Stefan Michael Sabine Katrin Julia Martin Anna Petra Frank Claudia Jan Lisa Markus".split(),
    "en": "James Sarah Pieter Anna Tomasz Eva Jakub Emma Daniel Sophie Marek Laura Oliver Hanna".split(),
}

"""German texts of ``demo.data.people``: the logins' roles, the departments and the two personas."""

# username: role (as `load_demo` prints it)
LOGIN_ROLES = {
    "cx.manager": "CX-Managerin (alles)",
    "sales.member": "Mitglied Vertrieb",
    "service.member": "Mitglied Kundenservice",
    "sales.lead": "Leitung Vertrieb",
    "service.lead": "Leitung Kundenservice",
    "marketing.lead": "Leitung Marketing",
    "product.lead": "Leitung Produktmanagement",
}

# English department name: German name
DEPARTMENTS = {
    "Sales": "Vertrieb",
    "Customer Service": "Kundenservice",
    "Marketing": "Marketing",
    "Product": "Produktmanagement",
}

# English persona name: its German texts
PERSONAS = {
    "Head of production": {
        "name": "Produktionsleiter",
        "role": "Produktionsleiter bei einem Lebensmittelhersteller",
        "description": (
            "Thomas Brandt, 48, leitet die Produktion eines familiengeführten Lebensmittelherstellers bei "
            "Stuttgart: drei Verpackungslinien, 140 Beschäftigte im Zweischichtbetrieb. Maschinenbauingenieur, seit "
            "zwanzig Jahren im Haus; entscheidet gemeinsam mit Einkauf, Instandhaltung und Geschäftsführung."
        ),
        "goals": (
            "Mehr Ausbringung und kürzere Formatwechsel; planbare Verfügbarkeit der Linien; ein Lieferant, der "
            "sofort reagiert, wenn eine Linie steht; Investitionen, die sich in vier Jahren amortisieren."
        ),
        "challenges": (
            "Alternde Maschinen und abgekündigte Ersatzteile; mehr Artikel in kleineren Losgrößen; zu wenig "
            "Fachkräfte in der Instandhaltung; lange Freigaberunden mit Einkauf und Controlling."
        ),
        "quote": "Jede Stunde Stillstand kostet uns mehr als der Wartungsvertrag für ein ganzes Jahr.",
    },
    "IT lead": {
        "name": "IT-Leiterin",
        "role": "Leiterin IT bei einem mittelständischen Großhändler",
        "description": (
            "Sandra Keller, 41, leitet ein sechsköpfiges Team bei einem Großhändler mit 400 Beschäftigten. Die "
            "Geschäftsführung hat sie beauftragt, externe Unterstützung zu finden, weil veraltete Systeme das "
            "Geschäft bremsen. Sie recherchiert gründlich und vertraut Empfehlungen aus ihrem Netzwerk mehr als "
            "Broschüren."
        ),
        "goals": (
            "Eine moderne, wartbare Systemlandschaft; ein Partner, der das Geschäft versteht und nicht nur die "
            "Technik; eine Roadmap, die die Geschäftsführung finanziert; ein Team, das mit dem Projekt wächst."
        ),
        "challenges": (
            "Ein in die Jahre gekommenes ERP-System und selbst gestrickte Schnittstellen; wenig Zeit neben dem "
            "Tagesgeschäft; die Geschäftsführung erwartet schnelle Ergebnisse; die Kompetenz von Beratern lässt "
            "sich vorab kaum einschätzen."
        ),
        "quote": (
            "Ich brauche keinen weiteren Foliensatz – ich brauche jemanden, der das schon einmal in einem "
            "Unternehmen wie unserem gemacht hat."
        ),
    },
}

"""German texts of ``demo.data.customers``: the regions (company and contact names are names in any language)."""

# English region: German region
REGIONS = {
    "Baden-Württemberg": "Baden-Württemberg",
    "Bavaria": "Bayern",
    "North Rhine-Westphalia": "Nordrhein-Westfalen",
    "Lower Saxony": "Niedersachsen",
    "Hesse": "Hessen",
    "Saxony": "Sachsen",
    "Austria": "Österreich",
    "Switzerland": "Schweiz",
    "Netherlands": "Niederlande",
    "Poland": "Polen",
    "Czech Republic": "Tschechien",
    "United Kingdom": "Vereinigtes Königreich",
}

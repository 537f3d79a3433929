"""One loader per area; each creates only what is missing and adds what it created to ``counts``."""

"""Casebook's generator: cases/*.yaml → validated records → bilingual Markdown → static site."""

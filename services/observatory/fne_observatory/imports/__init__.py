"""Dataset imports in waves: a file and its column mapping, a validation report before anything is written,
then publication; every import is a version of its dataset and can be withdrawn."""

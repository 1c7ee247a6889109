"""Service points: the offices, platforms and hotlines where founders apply and ask."""

"""The staff dashboard: the 评价标准要点 items the portal can measure, over time and by region."""

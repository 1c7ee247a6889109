"""Loading the content files under content/ into the database."""

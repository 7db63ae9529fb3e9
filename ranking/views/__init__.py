"""Views of the ranking app, one module per area: ``namnd`` (the nämnd's
ranking), ``forum`` (the compiled list, each member's sheet, the live
meeting), ``decision`` (the forum's outcome: order, budget line, review,
decisions, publication, rättelse, history) and ``public`` (the published
round for everyone); ``common`` holds what they share."""

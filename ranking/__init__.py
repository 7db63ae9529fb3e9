"""Rankings in the nämnd and the forum, the sammanvägd rangordning, the budget
line, the review, the decisions and the documents built from them. Its models
arrive with the ranking issue; the app is installed from the start so its
migrations start in the right place."""

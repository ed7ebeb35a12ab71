"""Casework shared by every domain whose items staff handle (questions, help cases…): teams
and their members, routing rules, moderation terms, deadlines on the working calendar and
supervision (督办) up the committee tree. A domain registers its case type
(``casework.cases.register``); nothing here imports a domain."""

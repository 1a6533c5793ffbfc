"""After-sales in chat: tickets (desk.py) and the customer's side of a survey (survey.py)."""

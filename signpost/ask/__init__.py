"""The "Ask us" front door: matching what a resident types to an urgent route, a guide or directory categories."""

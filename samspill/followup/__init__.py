"""What happens after someone says yes: onboarding records, hours, follow-ups and the volunteer certificate."""

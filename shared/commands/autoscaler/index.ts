/** The autoscaler's commands (subjects `<prefix>.cmd.autoscaler.<Name>`). */
export {};

-- Tags of every taggable resource, keyed by ARN.
CREATE TABLE resource_tags (
  resource_arn text NOT NULL,
  key          text NOT NULL,
  value        text NOT NULL,
  PRIMARY KEY (resource_arn, key)
);

-- Run once by the postgres image, on its first start with an empty data volume: one database per component.
CREATE DATABASE fne_gateway;
CREATE DATABASE fne_directory;
CREATE DATABASE fne_observatory;
CREATE DATABASE fne_surveys;
CREATE DATABASE fne_network;
